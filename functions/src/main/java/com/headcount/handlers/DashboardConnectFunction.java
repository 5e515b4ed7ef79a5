package com.headcount.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.headcount.core.dashboard.Dashboards;
import java.util.Map;

/**
 * The WebSocket API's {@code $connect}: {@code ?eventId=…&ticket=…[&sections=overall,gates]}. A 200 lets the dashboard
 * in; 400, 401 or 403 refuses it, with the reason as a small JSON body and in the log (never the ticket).
 */
public final class DashboardConnectFunction
        implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private final Dashboards dashboards;

    /** Lambda's constructor. */
    public DashboardConnectFunction() {
        this(Functions.dashboardConnect(Settings.fromEnvironment()));
    }

    public DashboardConnectFunction(Dashboards dashboards) {
        this.dashboards = dashboards;
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
        String connectionId = event.getRequestContext().getConnectionId();
        Dashboards.ConnectAnswer answer = dashboards.connect(connectionId, query.get("ticket"), query.get("eventId"),
                query.get("sections"));
        WebSocketAnswers.log(context, "{\"msg\":\"connect\",\"connectionId\":\"" + connectionId + "\",\"status\":"
                + answer.status() + ",\"code\":\"" + answer.code() + "\"}");
        return WebSocketAnswers.of(answer.status(), Dashboards.json(Map.of("code", answer.code(), "message", answer.message())));
    }
}
