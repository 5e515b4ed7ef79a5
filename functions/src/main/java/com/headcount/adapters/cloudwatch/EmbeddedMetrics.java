package com.headcount.adapters.cloudwatch;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.decision.DecisionMetrics;
import com.headcount.core.decision.EdgeMismatch;
import com.headcount.core.decision.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decision metrics as CloudWatch Embedded Metric Format: log lines that CloudWatch turns into metrics with no API call
 * from the function (nothing on the hot path but a line of log). One line per gate (its dimension values differ), one
 * for the batch. Names and dimensions are what the stack's dashboard graphs: keep them in step with the CDK app's
 * Monitoring construct.
 */
public final class EmbeddedMetrics {

    public static final String SCANS_DECIDED = "ScansDecided";
    public static final String SCAN_TO_DECISION = "ScanToDecision";
    public static final String BATCH_AGE = "BatchAge";
    /** {@code EdgeMismatches.<kind>} per gate: a gate's provisional verdict and the cloud's on different sides of the door. */
    public static final String EDGE_MISMATCHES = "EdgeMismatches";
    /** Per gate: provisionals the cloud could not read (the scans were decided all the same). */
    public static final String PROVISIONALS_IGNORED = "ProvisionalsIgnored";
    /** CloudWatch takes at most 100 values of one metric in one line. */
    static final int MAX_VALUES = 100;

    private final String namespace;

    public EmbeddedMetrics(String namespace) {
        this.namespace = namespace;
    }

    public List<String> lines(DecisionMetrics m, Instant at) {
        List<String> lines = new ArrayList<>();
        m.decided().forEach((gate, byVerdict) -> {
            Map<String, Object> line = document(at, List.of("Gate"), metrics(m, gate, byVerdict));
            line.put("Gate", gate);
            byVerdict.forEach((verdict, n) -> line.put(metricName(verdict), n));
            List<Long> latencies = m.scanToDecisionMs().getOrDefault(gate, List.of());
            if (!latencies.isEmpty()) line.put(SCAN_TO_DECISION, latencies.subList(0, Math.min(MAX_VALUES, latencies.size())));
            m.edgeMismatches().getOrDefault(gate, Map.of()).forEach((kind, n) -> line.put(metricName(kind), n));
            Integer ignored = m.provisionalsIgnored().get(gate);
            if (ignored != null) line.put(PROVISIONALS_IGNORED, ignored);
            lines.add(json(line));
        });
        if (m.batchAgeMs() != null) {
            Map<String, Object> line = document(at, List.of(), List.of(metric(BATCH_AGE, "Milliseconds")));
            line.put(BATCH_AGE, m.batchAgeMs());
            lines.add(json(line));
        }
        return lines;
    }

    /** {@code ScansDecided.accepted}, {@code ScansDecided.duplicate}, {@code ScansDecided.rejected}. */
    public static String metricName(Verdict verdict) {
        return SCANS_DECIDED + "." + verdict.name().toLowerCase(Locale.ROOT);
    }

    /** {@code EdgeMismatches.cloud_accepted_gate_refused}, {@code EdgeMismatches.cloud_refused_gate_accepted}. */
    public static String metricName(EdgeMismatch kind) {
        return EDGE_MISMATCHES + "." + kind.code();
    }

    private static List<Map<String, Object>> metrics(DecisionMetrics m, String gate, Map<Verdict, Integer> byVerdict) {
        List<Map<String, Object>> metrics = new ArrayList<>();
        byVerdict.keySet().forEach(v -> metrics.add(metric(metricName(v), "Count")));
        m.edgeMismatches().getOrDefault(gate, Map.of()).keySet().forEach(k -> metrics.add(metric(metricName(k), "Count")));
        if (m.provisionalsIgnored().containsKey(gate)) metrics.add(metric(PROVISIONALS_IGNORED, "Count"));
        if (!m.scanToDecisionMs().getOrDefault(gate, List.of()).isEmpty()) metrics.add(metric(SCAN_TO_DECISION, "Milliseconds"));
        return metrics;
    }

    private Map<String, Object> document(Instant at, List<String> dimensions, List<Map<String, Object>> metrics) {
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", namespace);
        directive.put("Dimensions", List.of(dimensions));
        directive.put("Metrics", metrics);
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", at.toEpochMilli());
        aws.put("CloudWatchMetrics", List.of(directive));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", aws);
        return line;
    }

    private static Map<String, Object> metric(String name, String unit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", name);
        m.put("Unit", unit);
        return m;
    }

    private static String json(Map<String, Object> line) {
        try {
            return JSON.std.asString(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
