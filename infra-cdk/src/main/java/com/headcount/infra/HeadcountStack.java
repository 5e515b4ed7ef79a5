package com.headcount.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * One stage of Headcount: every box of the diagram in docs/architecture.md ("The flow"), composed. Boxes whose
 * handlers are not in the jar yet (see {@link Handlers}) are left out until they are.
 */
public final class HeadcountStack extends Stack {

    private final Tables tables;
    private final Streams streams;
    private final IotCore iotCore;
    private final IngestFunction ingest;
    private final StatsFunction stats;
    private final ApiFunction apiFunction;
    private final HttpApiGateway httpApi;
    private final DashboardSite dashboard;
    private final WebSocketApiGateway webSockets;
    private final BroadcastFunction broadcast;
    private final StatsClock statsClock;
    private final AlertDelivery alertDelivery;
    private final PublishRetry publishRetry;
    private final AllowLists allowLists;

    public HeadcountStack(Construct scope, String id, StackProps props, StageSettings settings, Handlers handlers,
                          Path functionsJar, Map<String, List<String>> apiOperations) {
        super(scope, id, props);
        StageNames names = new StageNames(settings.stage());
        tables = new Tables(this, "DynamoDB", names, settings.production());
        streams = new Streams(this, "Kinesis", names, settings);
        iotCore = new IotCore(this, "IotCore", names, streams.scans(), tables.statistics(),
                settings.production());
        AlertsBus alerts = new AlertsBus(this, "EventBridge", names);
        IotDataEndpoint iotData = new IotDataEndpoint(this, "IotDataEndpoint", settings.iotDataEndpoint());

        ingest = new IngestFunction(this, "Ingest", functionsJar, handlers.ingest(), names, settings, tables, streams,
                iotCore, iotData.address());
        stats = new StatsFunction(this, "Stats", functionsJar, handlers.stats(), settings, tables, streams);
        apiFunction = new ApiFunction(this, "Api", functionsJar, handlers.api(), settings, tables, streams);
        dashboard = new DashboardSite(this, "Dashboard", settings.production());
        // the pages' origins: the stack's own site and any the stage names (a dashboard hosted elsewhere)
        List<String> origins = new ArrayList<>(settings.dashboardOrigins());
        origins.add(dashboard.origin());
        allowLists = new AllowLists(this, "AllowLists", functionsJar, Handlers.ALLOW_LIST, names, settings, tables,
                streams, iotData.address(), apiFunction.function(), origins);
        httpApi = new HttpApiGateway(this, "HttpApi", names, settings, apiFunction.function(), apiOperations, origins);
        publishRetry = new PublishRetry(this, "PublishRetry", functionsJar, handlers.publishRetry(), settings, tables,
                streams);

        statsClock = handlers.statsClock() == null ? null
                : new StatsClock(this, "Clock", functionsJar, handlers.statsClock(), settings, tables, streams);
        alertDelivery = handlers.alertDelivery() == null ? null
                : new AlertDelivery(this, "AlertDelivery", functionsJar, handlers.alertDelivery(), settings, tables,
                        streams, alerts.bus());
        if (handlers.dashboardFeed() != null) {
            webSockets = new WebSocketApiGateway(this, "WebSocketApi", functionsJar, handlers.dashboardFeed(), names,
                    settings, tables, streams);
            broadcast = new BroadcastFunction(this, "Broadcast", functionsJar, handlers.dashboardFeed().broadcast(),
                    settings, tables, streams, webSockets);
            CfnOutput.Builder.create(this, "WebSocketUrl").value(webSockets.url()).build();
            // the page's config.json: where it finds the APIs (bin/publish-dashboard writes it next to the page)
            CfnOutput.Builder.create(this, "DashboardConfig").value(software.amazon.awscdk.Fn.join("", List.of(
                    "{\"apiUrl\":\"", httpApi.url(), "api/v1\",\"webSocketUrl\":\"", webSockets.url(), "\"}"))).build();
        } else {
            webSockets = null;
            broadcast = null;
        }

        Monitoring monitoring = new Monitoring(this, "CloudWatch", names, settings);
        monitoring.watchDecisions(names);
        monitoring.watchMapping("IngestBehind", ingest.function(), Duration.seconds(settings.iteratorAgeAlarm().toSeconds()), 3);
        monitoring.watchMapping("StatisticsStuck", stats.function(), Duration.seconds(settings.statsStuckAfter().toSeconds()), 1);
        monitoring.watchQueue("IngestOnFailure", ingest.onFailure(), "IngestOnFailureQueue");
        monitoring.watchQueue("ScanRuleErrors", iotCore.scanRuleErrors(), "ScanRuleErrorsQueue");
        monitoring.watchQueue("StatusRuleErrors", iotCore.statusRuleErrors(), "StatusRuleErrorsQueue");
        monitoring.watchFunction("Ingest", ingest.function());
        monitoring.watchFunction("Stats", stats.function());
        monitoring.watchFunction("Api", apiFunction.function());
        monitoring.watchFunction("AllowList", allowLists.function());
        monitoring.watchFunction("PublishRetry", publishRetry.function());
        if (statsClock != null) monitoring.watchFunction("StatsClock", statsClock.function());
        if (alertDelivery != null) {
            monitoring.watchFunction("AlertDelivery", alertDelivery.function());
            monitoring.watchQueue("AlertDeliveryOnFailure", alertDelivery.onFailure(), "AlertDeliveryOnFailureQueue");
            CfnOutput.Builder.create(this, "AlertDeliveryOnFailureQueue").value(alertDelivery.onFailure().getQueueUrl()).build();
        }
        if (broadcast != null) {
            monitoring.watchFunction("Broadcast", broadcast.function());
            monitoring.watchMapping("BroadcastBehind", broadcast.function(), Duration.seconds(settings.iteratorAgeAlarm().toSeconds()), 3);
        }
        monitoring.finish();

        CfnOutput.Builder.create(this, "HttpApiUrl").value(httpApi.url()).build();
        CfnOutput.Builder.create(this, "DashboardUrl").value(dashboard.origin()).build();
        CfnOutput.Builder.create(this, "DashboardBucket").value(dashboard.bucket().getBucketName()).build();
        CfnOutput.Builder.create(this, "IotDataEndpointAddress").value(iotData.address()).build();
        CfnOutput.Builder.create(this, "AllowListBucket").value(allowLists.bucket().getBucketName()).build();
        CfnOutput.Builder.create(this, "IngestOnFailureQueue").value(ingest.onFailure().getQueueUrl()).build();
        CfnOutput.Builder.create(this, "ScanRuleErrorsQueue").value(iotCore.scanRuleErrors().getQueueUrl()).build();
        CfnOutput.Builder.create(this, "StatusRuleErrorsQueue").value(iotCore.statusRuleErrors().getQueueUrl()).build();
    }

    public Tables tables() { return tables; }
    public Streams streams() { return streams; }
    public IotCore iotCore() { return iotCore; }
    public IngestFunction ingest() { return ingest; }
    public StatsFunction stats() { return stats; }
    public ApiFunction apiFunction() { return apiFunction; }
    public HttpApiGateway httpApi() { return httpApi; }
    public DashboardSite dashboard() { return dashboard; }
    public WebSocketApiGateway webSockets() { return webSockets; }
    public BroadcastFunction broadcast() { return broadcast; }
    public StatsClock statsClock() { return statsClock; }
    public AlertDelivery alertDelivery() { return alertDelivery; }
    public PublishRetry publishRetry() { return publishRetry; }
    public AllowLists allowLists() { return allowLists; }
}
