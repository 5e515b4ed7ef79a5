package com.headcount.adapters.apigateway;

import com.headcount.core.dashboard.ConnectionPoster;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * Posts to dashboards through API Gateway's {@code @connections} API. The client's call timeout bounds what one slow
 * connection can cost (set where it is built, {@code AwsClients.connections}). A failure is logged with the
 * connection id and the error's class, never the message's content.
 */
public final class ApiGatewayConnections implements ConnectionPoster {

    private static final System.Logger LOG = System.getLogger(ApiGatewayConnections.class.getName());

    private final ApiGatewayManagementApiClient client;

    public ApiGatewayConnections(ApiGatewayManagementApiClient client) {
        this.client = client;
    }

    @Override
    public Delivery post(String connectionId, byte[] message) {
        try {
            client.postToConnection(b -> b.connectionId(connectionId).data(SdkBytes.fromByteArrayUnsafe(message)));
            return Delivery.DELIVERED;
        } catch (GoneException e) {
            return Delivery.GONE;
        } catch (SdkException e) {
            String status = e instanceof AwsServiceException service ? ",\"status\":" + service.statusCode() : "";
            LOG.log(System.Logger.Level.WARNING, "{\"msg\":\"post to connection failed\",\"connectionId\":\"" + connectionId
                    + "\",\"error\":\"" + e.getClass().getSimpleName() + "\"" + status + "}");
            return Delivery.FAILED;
        }
    }

    @Override
    public void close(String connectionId) {
        try {
            client.deleteConnection(b -> b.connectionId(connectionId));
        } catch (GoneException e) {
            // closed already
        } catch (SdkException e) {
            LOG.log(System.Logger.Level.WARNING, "{\"msg\":\"closing a connection failed\",\"connectionId\":\""
                    + connectionId + "\",\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }
}
