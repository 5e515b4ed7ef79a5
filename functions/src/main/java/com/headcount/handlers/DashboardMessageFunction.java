package com.headcount.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.headcount.core.dashboard.Dashboards;
import com.headcount.core.messages.MessageTypes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The WebSocket API's {@code $default}: every message a dashboard sends ({@code subscribe}, {@code ping}). The answer
 * is the route's response (the route returns it to the sender), so this function needs no right to post to
 * connections; a message it does not understand gets an {@code error} answer and the connection stays open.
 */
public final class DashboardMessageFunction
        implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private final Dashboards dashboards;

    /** Lambda's constructor. */
    public DashboardMessageFunction() {
        this(Functions.dashboardMessage(Settings.fromEnvironment()));
    }

    public DashboardMessageFunction(Dashboards dashboards) {
        this.dashboards = dashboards;
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        String body = event.getBody();
        if (body != null && event.isIsBase64Encoded()) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        String connectionId = event.getRequestContext().getConnectionId();
        Map<String, Object> answer = dashboards.message(connectionId, body);
        if (MessageTypes.ERROR.equals(answer.get("type"))) {
            WebSocketAnswers.log(context, "{\"msg\":\"message refused\",\"connectionId\":\"" + connectionId
                    + "\",\"code\":\"" + answer.get("code") + "\"}");
        }
        return WebSocketAnswers.of(200, Dashboards.json(answer));
    }
}
