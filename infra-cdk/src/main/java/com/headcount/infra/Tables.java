package com.headcount.infra;

import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.constructs.Construct;

/**
 * DynamoDB: the tables of {@code HeadcountTables} and {@code StatisticsTables} in the functions, with the same keys
 * (TablesMatchFunctionsTest compares them). On-demand (attendance is spiky and an idle event should cost nothing),
 * point-in-time recovery, TTL where an attribute is one.
 */
public final class Tables extends Construct {

    public static final String BY_PARTICIPANT = "byParticipant";
    public static final String BY_GATE = "byGate";
    public static final String BY_UNPUBLISHED = "byUnpublished";
    public static final String BY_STATS_WINDOW = "byStatsWindow";
    public static final String BY_EVENT = "byEvent";

    private final Table reference;
    private final Table scans;
    private final Table dedupWindows;
    private final Table statistics;
    private final Table connections;
    private final Table dashboardTickets;

    public Tables(Construct scope, String id, StageNames names, boolean production) {
        super(scope, id);
        reference = table("Reference", names.table("reference"), "pk", "sk", null, production);
        // sparse: only event items carry its keys; the statistics clock finds the running events in it
        reference.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(BY_STATS_WINDOW)
                .partitionKey(string("statsIndex"))
                .sortKey(Attribute.builder().name("statsUntil").type(AttributeType.NUMBER).build())
                .projectionType(ProjectionType.ALL)
                .build());
        scans = table("Scans", names.table("scans"), "scanKey", null, null, production);
        for (String[] index : List.of(new String[] {BY_PARTICIPANT, "participantKey"}, new String[] {BY_GATE, "gateKey"})) {
            scans.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                    .indexName(index[0])
                    .partitionKey(string(index[1]))
                    .sortKey(string("timeKey"))
                    .projectionType(ProjectionType.ALL)
                    .build());
        }
        // sparse: only accepted scans the HTTP API stored but could not publish yet are in it
        scans.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(BY_UNPUBLISHED)
                .partitionKey(string("unpublished"))
                .sortKey(string("timeKey"))
                .projectionType(ProjectionType.ALL)
                .build());
        // expiresAt only collects garbage: the claim's condition checks expiry itself (docs/architecture.md,
        // "The window")
        dedupWindows = table("DedupWindows", names.table("dedup-windows"), "windowKey", null, "expiresAt", production);
        statistics = table("Statistics", names.table("statistics"), "pk", "sk", null, production);
        // dashboards' WebSocket connections (API Gateway closes one after two hours: expiresAt) and their index by
        // event for the broadcaster; connect tickets, spent at once or gone after their expiry
        // both transient: never protected or kept, whatever the stage
        connections = table("Connections", names.table("connections"), "connectionId", null, "expiresAt", false);
        connections.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(BY_EVENT)
                .partitionKey(string("eventId"))
                .sortKey(string("connectionId"))
                .projectionType(ProjectionType.ALL)
                .build());
        dashboardTickets = table("DashboardTickets", names.table("dashboard-tickets"), "ticketHash", null, "expiresAt", false);
    }

    private Table table(String id, String name, String partitionKey, String sortKey, String ttl, boolean production) {
        var builder = Table.Builder.create(this, id)
                .tableName(name)
                .partitionKey(string(partitionKey))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.AWS_MANAGED)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .deletionProtection(production)
                .removalPolicy(production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
        if (sortKey != null) builder.sortKey(string(sortKey));
        if (ttl != null) builder.timeToLiveAttribute(ttl);
        return builder.build();
    }

    private static Attribute string(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }

    public Table connections() {
        return connections;
    }

    public String connectionsByEventArn() {
        return connections.getTableArn() + "/index/" + BY_EVENT;
    }

    public Table dashboardTickets() {
        return dashboardTickets;
    }

    public Table reference() {
        return reference;
    }

    public Table scans() {
        return scans;
    }

    /** The exact index ARNs, so queries are granted per index, never {@code index/*}. */
    public List<String> scansIndexArns() {
        return List.of(scans.getTableArn() + "/index/" + BY_PARTICIPANT, scans.getTableArn() + "/index/" + BY_GATE);
    }

    public String unpublishedIndexArn() {
        return scans.getTableArn() + "/index/" + BY_UNPUBLISHED;
    }

    public Table dedupWindows() {
        return dedupWindows;
    }

    public Table statistics() {
        return statistics;
    }
}
