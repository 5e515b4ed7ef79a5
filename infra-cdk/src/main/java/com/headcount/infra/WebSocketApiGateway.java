package com.headcount.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_integrations.WebSocketLambdaIntegration;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.WebSocketLambdaAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.WebSocketApi;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRouteOptions;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
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
        Map<String, String> env = Environment.shared(tables, streams, "CONNECTIONS_TABLE", connections.getTableName());
        JavaFunction connect = function("ConnectFunction", jar, handlers.connect(), env, settings);
        connect.allow(List.of("dynamodb:PutItem"), List.of(connections.getTableArn()));
        JavaFunction disconnect = function("DisconnectFunction", jar, handlers.disconnect(), env, settings);
        disconnect.allow(List.of("dynamodb:DeleteItem"), List.of(connections.getTableArn()));
        JavaFunction subscribe = function("DefaultRouteFunction", jar, handlers.defaultRoute(), env, settings);
        subscribe.allow(List.of("dynamodb:UpdateItem"), List.of(connections.getTableArn()));

        api = WebSocketApi.Builder.create(this, "Api")
                .apiName(names.prefix() + "-dashboards")
                .connectRouteOptions(WebSocketRouteOptions.builder()
                        .integration(new WebSocketLambdaIntegration("ConnectIntegration", connect.alias()))
                        .authorizer(tokenCheck(jar, handlers.connectAuthorizer(), env, settings))
                        .build())
                .disconnectRouteOptions(route("Disconnect", disconnect))
                .defaultRouteOptions(route("Default", subscribe))
                .build();
        stage = WebSocketStage.Builder.create(this, "Stage")
                .webSocketApi(api)
                .stageName(STAGE)
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder().rateLimit(settings.apiRateLimit()).burstLimit(settings.apiBurstLimit()).build())
                .build();
        Nag.accept(stage, "AwsSolutions-APIG1", "Access logs of a WebSocket API need the account-wide API Gateway "
                + "CloudWatch role, a setting shared by every API of the account and region that one stage's stack must "
                + "not take over; the route functions log each connection themselves.");
        for (String route : List.of("$disconnect-Route", "$default-Route")) {
            Nag.accept(api.getNode().findChild(route), "AwsSolutions-APIG4", "API Gateway authorises a WebSocket "
                    + "connection once, on $connect (which has the token check); later routes may not carry an authorizer.");
        }
    }

    /**
     * Browsers cannot set headers on a WebSocket, so the dashboard sends its token as the {@code token} query
     * parameter of the connect request, and a Lambda authorizer checks it as the HTTP API's JWT authorizer would.
     */
    private WebSocketLambdaAuthorizer tokenCheck(Path jar, String handler, Map<String, String> env, StageSettings settings) {
        Map<String, String> withIssuer = new java.util.LinkedHashMap<>(env);
        withIssuer.put("JWT_ISSUER", settings.jwtIssuer());
        withIssuer.put("JWT_AUDIENCE", settings.jwtAudience());
        JavaFunction check = function("TokenCheckFunction", jar, handler, withIssuer, settings);
        return WebSocketLambdaAuthorizer.Builder.create("TokenCheck", check.alias())
                .identitySource(List.of("route.request.querystring.token"))
                .build();
    }

    private JavaFunction function(String id, Path jar, String handler, Map<String, String> env, StageSettings settings) {
        return new JavaFunction(this, id, jar, handler, 512, Duration.seconds(10), env, settings.production());
    }

    private static WebSocketRouteOptions route(String id, JavaFunction function) {
        return WebSocketRouteOptions.builder()
                .integration(new WebSocketLambdaIntegration(id + "Integration", function.alias()))
                .build();
    }

    /** The one grant of execute-api:ManageConnections in the stack: posting to dashboards is the broadcaster's alone. */
    void allowPosting(JavaFunction broadcaster) {
        String connections = Stack.of(this).formatArn(ArnComponents.builder().service("execute-api")
                .resource(api.getApiId()).resourceName(STAGE + "/*/@connections/*")
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
        broadcaster.allow(List.of("execute-api:ManageConnections"), List.of(connections));
        Nag.accept(broadcaster, "AwsSolutions-IAM5", "Connection ids are made by API Gateway as dashboards connect: the "
                + "resource is every connection of this API's own stage, for posting to it and closing it.",
                "Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<"
                        + Stack.of(this).getLogicalId((software.amazon.awscdk.CfnElement) api.getNode().getDefaultChild())
                        + ">/" + STAGE + "/*/@connections/*");
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
