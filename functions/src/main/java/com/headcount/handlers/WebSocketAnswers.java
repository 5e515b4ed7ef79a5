package com.headcount.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;

/** What the WebSocket route functions share: their response and their log line. */
final class WebSocketAnswers {

    private WebSocketAnswers() {}

    static APIGatewayV2WebSocketResponse of(int status, String body) {
        var response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(status);
        response.setBody(body);
        response.setIsBase64Encoded(false);
        return response;
    }

    static void log(Context context, String line) {
        if (context != null && context.getLogger() != null) context.getLogger().log(line);
        else System.err.println(line);
    }
}
