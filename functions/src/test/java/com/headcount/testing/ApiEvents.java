package com.headcount.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;

/** An HTTP API request as API Gateway hands it to the function once its JWT authorizer has passed the token's claims. */
public final class ApiEvents {

    private ApiEvents() {}

    public static APIGatewayV2HTTPEvent request(String method, String path, Map<String, String> headers, String body,
                                                Map<String, String> claims, String requestId, long epochMillis) {
        return APIGatewayV2HTTPEvent.builder().withRawPath(path).withHeaders(headers).withBody(body)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId(requestId)
                        .withTimeEpoch(epochMillis)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(claims).build()).build())
                        .build())
                .build();
    }
}
