package com.headcount.infra;

import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.constructs.Construct;

/**
 * StatsClock (issue 9): the statistics' timer, so that silence is noticed (a gate offline, an event past half its
 * time with low attendance) when no scan arrives. An EventBridge schedule every minute on the function's alias. Its
 * rights are the statistics function's (it evaluates, writes and publishes the same items) plus the one index that
 * lists the events whose statistics window is open.
 */
public final class StatsClock extends Construct {

    private final JavaFunction function;

    public StatsClock(Construct scope, String id, Path jar, String handler, StageSettings settings, Tables tables,
                      Streams streams) {
        super(scope, id);
        var env = Environment.shared(tables, streams);
        function = new JavaFunction(this, "StatsClock", jar, handler, settings.memoryMb().scheduled(), Duration.seconds(50),
                env, settings.production());
        StatsFunction.grantStatistics(function, tables, streams);
        function.allow(List.of("dynamodb:Query"),
                List.of(tables.reference().getTableArn() + "/index/" + Tables.BY_STATS_WINDOW));
        function.runEveryMinute();
    }

    public JavaFunction function() {
        return function;
    }
}
