package com.headcount.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_integrations.WebSocketLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.WebSocketApi;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRouteOptions;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * API Gateway WebSocket API (issue 10): the dashboards' live feed. {@code $connect}, {@code $disconnect} and
 * {@code $default} each run a function of the jar, connections are kept in a table whose items expire (API Gateway
 * closes a connection after two hours at most), and only the broadcaster may post to connections.
 * The connections table's key and TTL attribute are this construct's proposal; issue 10's handlers decide them.
 */
public final class WebSocketApiGateway extends Construct {

    public static final String STAGE = "live";

    private final WebSocketApi api;
    private final WebSocketStage stage;
    private final Table connections;

    public WebSocketApiGateway(Construct scope, String id, Path jar, Handlers.DashboardFeed handlers, StageNames names,
                               StageSettings settings, Tables tables, Streams streams) {
        super(scope, id);
        connections = Table.Builder.create(this, "Connections")
                .tableName(names.table("connections"))
                .partitionKey(Attribute.builder().name("connectionId").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.AWS_MANAGED)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .timeToLiveAttribute("expiresAt")
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        Map<String, String> env = new LinkedHashMap<>(Environment.shared(tables, streams));
        env.put("CONNECTIONS_TABLE", connections.getTableName());
        JavaFunction connect = function("Connect", jar, handlers.connect(), env, settings);
        connect.allow(List.of("dynamodb:PutItem"), List.of(connections.getTableArn()));
        JavaFunction disconnect = function("Disconnect", jar, handlers.disconnect(), env, settings);
        disconnect.allow(List.of("dynamodb:DeleteItem"), List.of(connections.getTableArn()));
        JavaFunction subscribe = function("Default", jar, handlers.defaultRoute(), env, settings);
        subscribe.allow(List.of("dynamodb:UpdateItem"), List.of(connections.getTableArn()));

        api = WebSocketApi.Builder.create(this, "Api")
                .apiName(names.prefix() + "-dashboards")
                .connectRouteOptions(route("Connect", connect))
                .disconnectRouteOptions(route("Disconnect", disconnect))
                .defaultRouteOptions(route("Default", subscribe))
                .build();
        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(settings.production() ? RetentionDays.THREE_MONTHS : RetentionDays.TWO_WEEKS)
                .removalPolicy(settings.production() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();
        stage = WebSocketStage.Builder.create(this, "Stage")
                .webSocketApi(api)
                .stageName(STAGE)
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder().rateLimit(settings.apiRateLimit()).burstLimit(settings.apiBurstLimit()).build())
                .accessLogSettings(new HttpApiGateway.AccessLogs(new LogGroupLogDestination(accessLogs),
                        AccessLogFormat.custom(WEBSOCKET_ACCESS_LOG)))
                .build();
    }

    static final String WEBSOCKET_ACCESS_LOG = "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
            + "\"time\":\"$context.requestTime\",\"route\":\"$context.routeKey\",\"status\":\"$context.status\","
            + "\"connectionId\":\"$context.connectionId\",\"integrationError\":\"$context.integrationErrorMessage\"}";

    private JavaFunction function(String id, Path jar, String handler, Map<String, String> env, StageSettings settings) {
        return new JavaFunction(this, id, jar, handler, 512, Duration.seconds(10), env, settings.production());
    }

    private static WebSocketRouteOptions route(String id, JavaFunction function) {
        return WebSocketRouteOptions.builder()
                .integration(new WebSocketLambdaIntegration(id, function.alias()))
                .build();
    }

    /** The one grant of execute-api:ManageConnections in the stack: posting to dashboards is the broadcaster's alone. */
    void allowPosting(JavaFunction broadcaster) {
        api.grantManageConnections(broadcaster);
    }

    public WebSocketApi api() {
        return api;
    }

    public Table connections() {
        return connections;
    }

    /** The management endpoint the broadcaster posts to (https, not wss). */
    public String callbackUrl() {
        return stage.getCallbackUrl();
    }

    public String url() {
        return stage.getUrl();
    }
}
