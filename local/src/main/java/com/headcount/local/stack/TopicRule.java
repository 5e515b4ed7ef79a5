package com.headcount.local.stack;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the IoT topic rule selects: {@code SELECT * FROM '<prefix>attendance/+/gates/+/scans'}, into the
 * {@code scans} stream with the gate id as partition key. The prefix is {@code $aws/rules/<rule>/} when gates use
 * Basic Ingest, empty otherwise.
 */
public record TopicRule(String topicPrefix, String streamName) {

    private static final Pattern SCANS = Pattern.compile("attendance/([^/+#]+)/gates/([^/+#]+)/scans");

    public TopicRule {
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        if (!topicPrefix.isEmpty() && !topicPrefix.endsWith("/")) topicPrefix = topicPrefix + "/";
    }

    /** The partition key (the gate id) of a message on this topic, empty when the rule does not select it. */
    public Optional<String> partitionKeyOf(String topic) {
        if (topic == null || !topic.startsWith(topicPrefix)) return Optional.empty();
        Matcher m = SCANS.matcher(topic.substring(topicPrefix.length()));
        return m.matches() ? Optional.of(m.group(2)) : Optional.empty();
    }

    /** Basic Ingest topics reach only the rule, never subscribers. */
    public boolean basicIngest() {
        return topicPrefix.startsWith("$aws/rules/");
    }
}
