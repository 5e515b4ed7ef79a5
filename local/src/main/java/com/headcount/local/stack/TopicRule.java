package com.headcount.local.stack;

import com.headcount.core.scan.GateMessage;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the stage's IoT topic rule selects ({@link GateMessage#ruleSql}): every message on
 * {@code <prefix>headcount/<stage>/+/gates/+/scans}, wrapped with the topic's event and gate, into the {@code scans}
 * stream with the gate id as partition key. Another stage's scans topics are not selected, as in AWS. The prefix is
 * {@code $aws/rules/<rule>/} when gates use Basic Ingest, empty otherwise.
 */
public record TopicRule(String stage, String topicPrefix, String streamName) {

    /** A scans topic's event and gate segments, as they are. */
    public record Match(String eventId, String gateId) {}

    public TopicRule {
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        if (!topicPrefix.isEmpty() && !topicPrefix.endsWith("/")) topicPrefix = topicPrefix + "/";
    }

    /** The topic's event and gate (the gate is the partition key), empty when the rule does not select it. */
    public Optional<Match> match(String topic) {
        if (topic == null || !topic.startsWith(topicPrefix)) return Optional.empty();
        Matcher m = gateTopic(stage, "scans").matcher(topic.substring(topicPrefix.length()));
        return m.matches() ? Optional.of(new Match(m.group(1), m.group(2))) : Optional.empty();
    }

    /** Basic Ingest topics reach only the rule, never subscribers. */
    public boolean basicIngest() {
        return topicPrefix.startsWith("$aws/rules/");
    }

    /** A stage's gate topics of one kind, the event and the gate as groups 1 and 2 (what {@code topic(3)}, {@code topic(5)} read). */
    static Pattern gateTopic(String stage, String kind) {
        return Pattern.compile(Pattern.quote(GateMessage.topic(stage, "\u0000", "\u0001", kind))
                .replace("\u0000", "\\E([^/+#]+)\\Q").replace("\u0001", "\\E([^/+#]+)\\Q"));
    }
}
