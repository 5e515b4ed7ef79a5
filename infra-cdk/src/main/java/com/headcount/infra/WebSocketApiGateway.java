package com.headcount.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.WebSocketLambdaIntegration;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigatewayv2.WebSocketApi;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRouteOptions;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.dynamodb.Table;
import software.constructs.Construct;

/**
 * API Gateway WebSocket API (issue 10): the dashboards' live feed. {@code $connect}, {@code $disconnect} and
 * {@code $default} each run a function of the jar. There is no authorizer: a browser cannot send a header on a
 * WebSocket and a token in the URL would end up in logs, so {@code $connect} takes a single-use ticket the HTTP API
 * issued against the caller's token (60 s, one event) and lets the connection in only with it. {@code $default}
 * answers through the route's response, so only the broadcaster may post to connections.
 */
public final class WebSocketApiGateway extends Construct {

    public static final String STAGE = "live";

    private final WebSocketApi api;
    private final WebSocketStage stage;
    private final Tables tables;

    public WebSocketApiGateway(Construct scope, String id, Path jar, Handlers.DashboardFeed handlers, StageNames names,
                               StageSettings settings, Tables tables, Streams streams) {
        super(scope, id);
        this.tables = tables;
        Map<String, String> env = Environment.shared(tables, streams);
        JavaFunction connect = function("ConnectFunction", jar, handlers.connect(), env, settings);
        // the ticket is taken (deleted) whatever comes next, so it is good for one try
        connect.allow(List.of("dynamodb:DeleteItem"), List.of(tables.dashboardTickets().getTableArn()));
        connect.allow(List.of("dynamodb:PutItem"), List.of(tables.connections().getTableArn()));
        // the connection counters per token subject and per event live beside the tickets (conditional updates)
        connect.allow(List.of("dynamodb:UpdateItem"), List.of(tables.dashboardTickets().getTableArn()));
        JavaFunction disconnect = function("DisconnectFunction", jar, handlers.disconnect(), env, settings);
        disconnect.allow(List.of("dynamodb:DeleteItem"), List.of(tables.connections().getTableArn()));
        disconnect.allow(List.of("dynamodb:UpdateItem"), List.of(tables.dashboardTickets().getTableArn()));
        JavaFunction messages = function("DefaultRouteFunction", jar, handlers.defaultRoute(), env, settings);
        messages.allow(List.of("dynamodb:UpdateItem"), List.of(tables.connections().getTableArn()));
        // a subscription is answered with the sections' current figures: the statistics' one read path (and the
        // active-participant counter it recounts when missing)
        messages.allow(List.of("dynamodb:Query", "dynamodb:GetItem", "dynamodb:PutItem"), List.of(tables.statistics().getTableArn()));
        messages.allow(List.of("dynamodb:Query"), List.of(tables.reference().getTableArn()));

        api = WebSocketApi.Builder.create(this, "Api")
                .apiName(names.prefix() + "-dashboards")
                .connectRouteOptions(route("Connect", connect, false))
                .disconnectRouteOptions(route("Disconnect", disconnect, false))
                .defaultRouteOptions(route("Default", messages, true))
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
        Nag.accept(api.getNode().findChild("$connect-Route"), "AwsSolutions-APIG4", "$connect checks a single-use, "
                + "60-second connect ticket the JWT-authorised HTTP API issued for one event (a browser cannot send a "
                + "header on a WebSocket, and a token in the URL would be logged); no connection opens without one.");
        for (String route : List.of("$disconnect-Route", "$default-Route")) {
            Nag.accept(api.getNode().findChild(route), "AwsSolutions-APIG4", "API Gateway authorises a WebSocket "
                    + "connection once, on $connect (which checks the ticket); later routes may not carry an authorizer.");
        }
    }

    private JavaFunction function(String id, Path jar, String handler, Map<String, String> env, StageSettings settings) {
        JavaFunction function = new JavaFunction(this, id, jar, handler, settings.memoryMb().dashboards(), Duration.seconds(10),
                env, settings.production());
        function.reserveConcurrency(settings.concurrency().dashboards());
        return function;
    }

    /** @param answers whether the function's response body goes back to the sender (a route response) */
    private static WebSocketRouteOptions route(String id, JavaFunction function, boolean answers) {
        return WebSocketRouteOptions.builder()
                .integration(new WebSocketLambdaIntegration(id + "Integration", function.alias()))
                .returnResponse(answers)
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
        return tables.connections();
    }

    /** The management endpoint the broadcaster posts to (https, not wss). */
    public String callbackUrl() {
        return stage.getCallbackUrl();
    }

    public String url() {
        return stage.getUrl();
    }
}
