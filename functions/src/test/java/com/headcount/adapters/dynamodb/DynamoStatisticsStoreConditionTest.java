package com.headcount.adapters.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.stats.Aggregate;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The optimistic lock of every statistics write, and the watermark travelling in the same write as the counts. */
class DynamoStatisticsStoreConditionTest {

    static final class Captured extends RuntimeException {
        final SdkRequest request;

        Captured(SdkRequest request) {
            super("captured, not sent");
            this.request = request;
        }
    }

    static DynamoStatisticsStore store() {
        ExecutionInterceptor capture = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                throw new Captured(context.request());
            }
        };
        DynamoDbClient client = DynamoDbClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .overrideConfiguration(o -> o.addExecutionInterceptor(capture))
                .build();
        return new DynamoStatisticsStore(client, "statistics", new ParticipantCounts(client, "statistics", "reference"));
    }

    @Test
    void anAggregateReadAtVersion7IsWrittenWholeAsVersion8OnlyIfStillAt7() {
        var gate = new Aggregate("GATE#north", 7, Map.of("scans", 12L, "m.29000000", 3L),
                Map.of("shardId-000000000001", new BigInteger("49590338271490256608559692538361571095921575989136588898")));
        gate.add("scans", 1);
        gate.advance("shardId-000000000001", new BigInteger("49590338271490256608559692538361571095921575989136588999"));

        var put = (PutItemRequest) assertThrows(Captured.class, () -> store().save("e-1", gate)).request;

        assertEquals("#ver = :ver", put.conditionExpression());
        assertEquals(Map.of("#ver", "ver"), put.expressionAttributeNames());
        assertEquals("7", put.expressionAttributeValues().get(":ver").n());
        Map<String, AttributeValue> item = put.item();
        assertEquals("EVENT#e-1", item.get("pk").s());
        assertEquals("AGG#GATE#north", item.get("sk").s());
        assertEquals("8", item.get("ver").n());
        assertEquals("13", item.get("c").m().get("scans").n());
        assertEquals("49590338271490256608559692538361571095921575989136588999",
                item.get("wm").m().get("shardId-000000000001").s(), "the watermark moves in the same write as the counts");
    }

    @Test
    void aNewAggregateIsWrittenOnlyIfNobodyCreatedItMeanwhile() {
        var put = (PutItemRequest) assertThrows(Captured.class,
                () -> store().save("e-1", Aggregate.empty(Aggregate.OVERALL))).request;
        assertEquals("attribute_not_exists(#pk)", put.conditionExpression());
        assertEquals(Map.of("#pk", "pk"), put.expressionAttributeNames());
        assertEquals("1", put.item().get("ver").n());
    }

    @Test
    void emptyingAnOutboxOfHundredsOfAlertsKeepsEveryExpressionInsideDynamoDbsLimit() {
        List<UpdateItemRequest> sent = new ArrayList<>();
        ExecutionInterceptor record = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                sent.add((UpdateItemRequest) context.request());
            }
        };
        DynamoDbClient client = DynamoDbClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .httpClient(new AnswersEmptyObject())
                .overrideConfiguration(o -> o.addExecutionInterceptor(record))
                .build();
        var store = new DynamoStatisticsStore(client, "statistics", new ParticipantCounts(client, "statistics", "reference"));
        // a venue of 300 turnstiles losing its network: one gate_offline each, delivered together
        List<String> ids = IntStream.range(0, 300).mapToObj(g -> "festival-2026:gate_offline#turnstile-" + g + ":1").toList();

        store.delivered("festival-2026", ids);

        Set<String> removed = new HashSet<>();
        for (UpdateItemRequest update : sent) {
            assertTrue(update.updateExpression().length() <= 4096, update.updateExpression().length() + " characters");
            update.expressionAttributeNames().forEach((name, value) -> {
                if (name.startsWith("#a")) removed.add(value);
            });
        }
        assertEquals(Set.copyOf(ids), removed, "every delivered alert leaves the outbox");
    }

    /** Stands in for DynamoDB's answer to an UpdateItem that returns nothing: 200 and an empty object. */
    private static final class AnswersEmptyObject implements SdkHttpClient {
        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200).build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8))))
                            .build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
