package com.headcount.local.stack;

import com.headcount.core.scan.GateMessage;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the IoT topic rule selects ({@link GateMessage#RULE_SQL}): every message on
 * {@code <prefix>attendance/+/gates/+/scans}, wrapped with the topic's event and gate, into the {@code scans} stream
 * with the gate id as partition key. The prefix is {@code $aws/rules/<rule>/} when gates use Basic Ingest, empty
 * otherwise.
 */
public record TopicRule(String topicPrefix, String streamName) {

    /** A scans topic's event and gate segments, as they are. */
    public record Match(String eventId, String gateId) {}

    private static final Pattern SCANS = Pattern.compile("attendance/([^/+#]+)/gates/([^/+#]+)/scans");

    public TopicRule {
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        if (!topicPrefix.isEmpty() && !topicPrefix.endsWith("/")) topicPrefix = topicPrefix + "/";
    }

    /** The topic's event and gate (the gate is the partition key), empty when the rule does not select it. */
    public Optional<Match> match(String topic) {
        if (topic == null || !topic.startsWith(topicPrefix)) return Optional.empty();
        Matcher m = SCANS.matcher(topic.substring(topicPrefix.length()));
        return m.matches() ? Optional.of(new Match(m.group(1), m.group(2))) : Optional.empty();
    }

    /** Basic Ingest topics reach only the rule, never subscribers. */
    public boolean basicIngest() {
        return topicPrefix.startsWith("$aws/rules/");
    }
}
