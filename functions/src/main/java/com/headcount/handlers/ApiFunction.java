package com.headcount.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.headcount.adapters.cloudwatch.EmbeddedMetrics;
import com.headcount.core.api.ApiRequest;
import com.headcount.core.api.ApiResponse;
import com.headcount.core.api.AttendanceApi;
import com.headcount.core.decision.DecisionMetrics;
import com.headcount.core.decision.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * ApiFunction: API Gateway HTTP API (payload 2.0) → {@link AttendanceApi} → a JSON answer or an RFC 9457 problem.
 * API Gateway's JWT authorizer has verified the token; the API checks role and event.
 */
public final class ApiFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** The channel the HTTP API's decisions carry in their metric lines, beside ingest's (which name none). */
    static final Map<String, Object> CHANNEL = Map.of("Channel", "http");

    private final AttendanceApi api;
    private final EmbeddedMetrics metrics;

    /** What the function is made of ({@link Functions#api}). */
    public record Parts(AttendanceApi api, EmbeddedMetrics metrics) {}

    /** Lambda's constructor. */
    public ApiFunction() {
        this(Functions.api(Settings.fromEnvironment()));
    }

    public ApiFunction(AttendanceApi.Services services) {
        this(new Parts(new AttendanceApi(services), new EmbeddedMetrics(IngestFunction.METRICS_NAMESPACE)));
    }

    public ApiFunction(Parts parts) {
        this.api = parts.api();
        this.metrics = parts.metrics();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        var rc = event.getRequestContext();
        String requestId = rc != null && rc.getRequestId() != null ? rc.getRequestId() : UUID.randomUUID().toString();
        // API Gateway's receive time is the scan's arrival time for the clock-skew rule
        Instant receivedAt = rc != null && rc.getTimeEpoch() > 0 ? Instant.ofEpochMilli(rc.getTimeEpoch()) : Instant.now();
        String method = rc != null && rc.getHttp() != null && rc.getHttp().getMethod() != null
                ? rc.getHttp().getMethod() : "GET";
        var jwt = rc == null || rc.getAuthorizer() == null ? null : rc.getAuthorizer().getJwt();
        var request = new ApiRequest(method, event.getRawPath() == null ? "/" : event.getRawPath(), event.getHeaders(),
                event.getQueryStringParameters(), event.getBody(), event.getIsBase64Encoded(), requestId, receivedAt,
                jwt == null ? null : jwt.getClaims(), null);
        ApiResponse answer = api.handle(request, new AttendanceApi.Log() {
            @Override
            public void line(String json) {
                log(context, json);
            }

            /** The same decision metrics as ingest (scans decided per gate and verdict, scan to decision). */
            @Override
            public void decided(List<Outcome> outcomes) {
                Instant now = Instant.now();
                // no batch age: a request has no stream to fall behind on
                metrics.lines(DecisionMetrics.of(outcomes, null, now), now, CHANNEL).forEach(l -> log(context, l));
            }
        });
        var response = new APIGatewayV2HTTPResponse();
        response.setStatusCode(answer.status());
        response.setHeaders(answer.headers());
        response.setBody(answer.body());
        response.setIsBase64Encoded(false);
        return response;
    }

    private static void log(Context context, String line) {
        if (context != null && context.getLogger() != null) context.getLogger().log(line);
        else System.err.println(line);
    }
}
