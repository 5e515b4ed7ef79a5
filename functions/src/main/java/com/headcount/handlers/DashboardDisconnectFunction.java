package com.headcount.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.headcount.core.dashboard.Dashboards;

/** The WebSocket API's {@code $disconnect}: the connection's item goes (API Gateway sends this on a best-effort basis: the TTL and the broadcaster's 410s catch what it misses). */
public final class DashboardDisconnectFunction
        implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private final Dashboards dashboards;

    /** Lambda's constructor. */
    public DashboardDisconnectFunction() {
        this(Functions.dashboardDisconnect(Settings.fromEnvironment()));
    }

    public DashboardDisconnectFunction(Dashboards dashboards) {
        this.dashboards = dashboards;
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        String connectionId = event.getRequestContext().getConnectionId();
        dashboards.disconnect(connectionId);
        WebSocketAnswers.log(context, "{\"msg\":\"disconnect\",\"connectionId\":\"" + connectionId + "\"}");
        return WebSocketAnswers.of(200, null);
    }
}
