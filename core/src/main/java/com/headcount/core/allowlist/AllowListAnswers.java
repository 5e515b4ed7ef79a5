package com.headcount.core.allowlist;

import java.util.Optional;

/**
 * Answers whoever asks for a gate's allow-list over the HTTP API (a staff phone at the gate, which has no MQTT
 * connection): the same answer a gate gets on its topic ({@link AllowLists#ask}).
 */
@FunctionalInterface
public interface AllowListAnswers {

    /** @return empty when the gate is not one of the event's, or the event does not exist */
    Optional<AllowLists.Answer> ask(String eventId, String gateId, Long haveVersion);
}
