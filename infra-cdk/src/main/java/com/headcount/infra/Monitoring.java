package com.headcount.infra;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * CloudWatch: the alarms that make a stuck pipeline loud (a mapping falling behind, the statistics mapping stuck on
 * a batch, anything in an on-failure queue, function errors and throttles) on one SNS topic, and one dashboard.
 */
public final class Monitoring extends Construct {

    private final Topic alarms;
    private final List<IWidget> widgets = new ArrayList<>();
    private final Dashboard dashboard;

    public Monitoring(Construct scope, String id, StageNames names, StageSettings settings) {
        super(scope, id);
        alarms = Topic.Builder.create(this, "Alarms").topicName(names.prefix() + "-alarms").enforceSsl(true).build();
        if (settings.alarmEmail() != null) alarms.addSubscription(new EmailSubscription(settings.alarmEmail()));
        dashboard = Dashboard.Builder.create(this, "Dashboard").dashboardName(names.prefix()).build();
    }

    /** Errors and throttles of a function (its alias: what the triggers run). */
    public void watchFunction(String name, JavaFunction function) {
        var alias = function.alias();
        Metric errors = alias.metricErrors(MetricOptions.builder().period(Duration.minutes(1)).statistic("Sum").build());
        Metric throttles = alias.metricThrottles(MetricOptions.builder().period(Duration.minutes(1)).statistic("Sum").build());
        alarm(name + "Errors", name + " failed", errors, 1, 1);
        alarm(name + "Throttles", name + " was throttled", throttles, 1, 1);
        widgets.add(graph(name + ": invocations, errors, throttles",
                alias.metricInvocations(MetricOptions.builder().period(Duration.minutes(1)).statistic("Sum").build()), errors, throttles));
    }

    /** How far a stream mapping is behind (the age of the newest record it has handed to the function). */
    public void watchMapping(String name, JavaFunction function, Duration behind, int periods) {
        Metric age = function.alias().metric("IteratorAge", MetricOptions.builder()
                .period(Duration.minutes(1)).statistic("Maximum").build());
        alarm(name, name + ": its mapping is more than " + behind.toHumanString() + " behind", age,
                behind.toMilliseconds(), periods);
        widgets.add(graph(name + ": iterator age (ms)", age));
    }

    /**
     * Anything in a failure queue needs someone: the alarm names the README runbook entry for that queue (the stack
     * output of the same name gives its URL), since what to do differs from queue to queue.
     */
    public void watchQueue(String name, IQueue queue, String runbook) {
        Metric visible = queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                .period(Duration.minutes(1)).statistic("Maximum").build());
        alarm(name, name + " holds messages: follow the runbook " + runbook
                + " (README, \"When something lands in a queue\")", visible, 1, 1);
        widgets.add(graph(name + ": messages", visible));
    }

    /**
     * The functions' business metrics (CloudWatch Embedded Metric Format in their logs; names as the functions' EmbeddedMetrics
     * writes them): scans decided per gate and outcome, scan-to-decision time of live scans per gate, and how old each
     * ingest batch was when it was decided, and edge mismatches per gate and kind. Gates come and go with events, so
     * each graph searches the namespace.
     */
    public void watchDecisions(StageNames names) {
        String ns = namespace(names);
        widgets.add(search("Scans decided per gate and outcome (per minute)",
                "SEARCH('{" + ns + ",Gate} MetricName=\"ScansDecided.\"', 'Sum', 60)"));
        widgets.add(search("Scan to decision, live scans, p99 per gate (ms)",
                "SEARCH('{" + ns + ",Gate} MetricName=\"ScanToDecision\"', 'p99', 60)"));
        // issue 18: a gate deciding from its allow-list and the cloud disagreeing on who went in, per gate and kind
        // (the statistics hold the exact counts; these count decisions, so a redelivered batch reports its own again)
        widgets.add(search("Edge mismatches per gate and kind (per minute)",
                "SEARCH('{" + ns + ",Gate} MetricName=\"EdgeMismatches.\"', 'Sum', 60)"));
        widgets.add(graph("Ingest: age of the batch when decided (ms, max)", Metric.Builder.create()
                .namespace(ns).metricName("BatchAge").statistic("Maximum").period(Duration.minutes(1)).build()));
    }

    /** One namespace per stage, so two stages in one account never mix their figures. */
    static String namespace(StageNames names) {
        return "Headcount/" + names.prefix();
    }

    private static GraphWidget search(String title, String expression) {
        return graph(title, MathExpression.Builder.create().expression(expression).usingMetrics(java.util.Map.of())
                .period(Duration.minutes(1)).label("").build());
    }

    public void finish() {
        for (int i = 0; i < widgets.size(); i += 3) {
            dashboard.addWidgets(widgets.subList(i, Math.min(i + 3, widgets.size())).toArray(IWidget[]::new));
        }
    }

    private void alarm(String id, String description, Metric metric, Number threshold, int periods) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(periods)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(new SnsAction(alarms));
        alarm.addOkAction(new SnsAction(alarms));
    }

    private static GraphWidget graph(String title, IMetric... metrics) {
        return GraphWidget.Builder.create().title(title).left(List.of(metrics)).width(8).build();
    }

    public Topic alarms() {
        return alarms;
    }
}
