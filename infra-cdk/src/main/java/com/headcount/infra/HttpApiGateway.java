package com.headcount.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.CfnRoute;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpRouteKey;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * API Gateway HTTP API: one route per operation of the OpenAPI contract, each behind the JWT authorizer with the
 * scope the contract names for it (the function then checks the token's roles, events and gates), throttled at the
 * stage, access-logged.
 */
public final class HttpApiGateway extends Construct {

    /** Only variables HTTP APIs define: one line per request, nothing from the body or the token. */
    static final String ACCESS_LOG = "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
            + "\"time\":\"$context.requestTime\",\"route\":\"$context.routeKey\",\"status\":\"$context.status\","
            + "\"latencyMs\":\"$context.responseLatency\",\"integrationError\":\"$context.integrationErrorMessage\","
            + "\"authorizerError\":\"$context.authorizer.error\"}";

    /** The one operation that can hold the function for its whole timeout: it gets a throttle of its own. */
    public static final String IMPORT_OPERATION = "POST /api/v1/events/{eventId}/participants/imports";

    private final HttpApi api;
    private final HttpStage stage;

    public HttpApiGateway(Construct scope, String id, StageNames names, StageSettings settings, JavaFunction function,
                          Map<String, List<String>> operations, List<String> allowedOrigins) {
        super(scope, id);
        var authorizer = HttpJwtAuthorizer.Builder.create("Jwt", settings.jwtIssuer())
                .jwtAudience(List.of(settings.jwtAudience()))
                .identitySource(List.of("$request.header.Authorization"))
                .build();
        api = HttpApi.Builder.create(this, "Api")
                .apiName(names.prefix() + "-api")
                .createDefaultStage(false)
                .defaultAuthorizer(authorizer)
                .corsPreflight(CorsPreflightOptions.builder()
                        .allowOrigins(allowedOrigins)
                        .allowHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key"))
                        .exposeHeaders(List.of("Idempotent-Replayed", "Location"))
                        .allowMethods(List.of(CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT))
                        .maxAge(Duration.hours(1))
                        .build())
                .build();
        var integration = HttpLambdaIntegration.Builder.create("ApiFunction", function.alias())
                .payloadFormatVersion(PayloadFormatVersion.VERSION_2_0)
                .build();
        List<HttpRoute> routes = new ArrayList<>();
        operations.forEach((operation, scopes) -> {
            String[] parts = operation.split(" ", 2);
            routes.add(HttpRoute.Builder.create(this, "Route" + routes.size())
                    .httpApi(api)
                    .routeKey(HttpRouteKey.with(parts[1], HttpMethod.valueOf(parts[0])))
                    .integration(integration)
                    .authorizer(authorizer)
                    .authorizationScopes(scopes)
                    .build());
        });
        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(settings.production() ? RetentionDays.THREE_MONTHS : RetentionDays.TWO_WEEKS)
                .removalPolicy(settings.production() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();
        stage = HttpStage.Builder.create(this, "Stage")
                .httpApi(api)
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(settings.apiRateLimit())
                        .burstLimit(settings.apiBurstLimit())
                        .build())
                .accessLogSettings(new AccessLogs(new LogGroupLogDestination(accessLogs), AccessLogFormat.custom(ACCESS_LOG)))
                .build();
        HttpRoute imports = routes.stream()
                .filter(r -> IMPORT_OPERATION.equals(((CfnRoute) r.getNode().getDefaultChild()).getRouteKey()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("openapi.yaml has no " + IMPORT_OPERATION
                        + ": the import throttle needs its route"));
        // HttpStage has no per-route settings, and the L1 property is untyped JSON (a RouteSettingsProperty would keep
        // its camel-case keys, not CloudFormation's); a route's settings name a route that must exist first
        ((CfnStage) stage.getNode().getDefaultChild()).setRouteSettings(Map.of(IMPORT_OPERATION, Map.of(
                "ThrottlingRateLimit", settings.importRateLimit(),
                "ThrottlingBurstLimit", settings.importBurstLimit())));
        stage.getNode().addDependency(imports);
    }

    /** A plain class, not a record: jsii would take a record's accessors for methods overriding the properties. */
    static final class AccessLogs implements IAccessLogSettings {
        private final IAccessLogDestination destination;
        private final AccessLogFormat format;

        AccessLogs(IAccessLogDestination destination, AccessLogFormat format) {
            this.destination = destination;
            this.format = format;
        }

        @Override
        public IAccessLogDestination getDestination() {
            return destination;
        }

        @Override
        public AccessLogFormat getFormat() {
            return format;
        }
    }

    public HttpApi api() {
        return api;
    }

    public String url() {
        return stage.getUrl();
    }
}
