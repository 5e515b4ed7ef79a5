package com.headcount.local.api;

import static com.headcount.local.api.ApiHttpTest.assertProblem;
import static com.headcount.local.api.ApiHttpTest.indexes;
import static com.headcount.local.api.ApiHttpTest.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.adapters.dynamodb.DynamoUnpublishedScans;
import com.headcount.adapters.kinesis.KinesisAcceptedScans;
import com.headcount.core.decision.OutcomeJson;
import com.headcount.core.decision.Republisher;
import com.headcount.handlers.PublishRetryFunction;
import com.headcount.local.lambda.AwsCalls;
import com.headcount.local.testing.Emulators;
import com.headcount.local.testing.Streams;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;

/** Issue 8's HTTP rules over real HTTP through the local gateway, on the emulators. */
@ExtendWith(Emulators.Extension.class)
class ApiDecisionTest {

    /** The `attendance-recorded` stream throttling every put while {@code refusing} is set. */
    static final class StreamRefuses implements ExecutionInterceptor {
        final AtomicBoolean refusing = new AtomicBoolean();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutRecordsRequest && refusing.get()) {
                throw ProvisionedThroughputExceededException.builder().message("injected: stream throttled")
                        .statusCode(400).build();
            }
        }
    }

    @Test
    void aScanStoredButNotPublishedIsAnswered201AndPublishedLater(Emulators emulators) {
        var refuses = new StreamRefuses();
        try (var h = new ApiHarness(emulators, eventId -> Optional.empty(), refuses)) {
            String e = ApiHttpTest.newEvent(h);
            String key = UUID.randomUUID().toString();
            refuses.refusing.set(true);
            var answer = ApiHttpTest.record(h, e, scan(e, "p-1", "north", Instant.now().minusSeconds(30)), key);
            assertEquals(201, answer.status(), "stored and decided: the client is told so " + answer.body());
            var batch = h.json("POST", "/api/v1/attendance/batch", h.token("gate-staff", e),
                    Map.of("scans", List.of(scan(e, "p-2", "north", Instant.now().minusSeconds(20)))));
            assertEquals(List.of(0), indexes(batch.json().get("successful")));
            var unpublished = new DynamoUnpublishedScans(h.dynamo, h.settings.shared().scansTable());
            assertEquals(2, unpublished.waiting(10).size(), "both set aside");
            String stream = h.settings.shared().attendanceRecordedStream();
            assertTrue(recorded(h, stream, e).isEmpty(), "nothing reached the stream yet");

            // the scheduled function, a minute later, once the stream takes puts again
            refuses.refusing.set(false);
            var own = com.headcount.local.emulator.LocalAws.clients(emulators.dynalite.endpoint(),
                    emulators.kinesis.endpoint(), AwsCalls.of("PublishRetryFunction", AwsCalls.variables(h.settings.shared())));
            var retry = new PublishRetryFunction(new Republisher(
                    new DynamoUnpublishedScans(own.dynamoDb(), h.settings.shared().scansTable()),
                    new KinesisAcceptedScans(own.kinesis(), stream)));
            assertTrue(retry.handleRequest(Map.of(), null).contains("\"published\":2"));
            assertEquals(List.of(), unpublished.waiting(10), "nothing left waiting");
            assertEquals(2, recorded(h, stream, e).size(), "both published");
        }
    }

    @Test
    void aMalformedRecordIsStoredAndAReusedKeyWithAnotherBodyIsRefusedWithoutClaimingAnything(Emulators emulators) {
        try (var h = new ApiHarness(emulators)) {
            String e = ApiHttpTest.newEvent(h);
            String staff = h.token("gate-staff", e);
            var garbage = h.send("POST", "/api/v1/attendance/record", staff, "application/json",
                    "{\"eventId\":".getBytes(StandardCharsets.UTF_8));
            assertProblem(garbage, 400, "malformed");
            String requestId = (String) garbage.json().get("requestId");
            var stored = h.dynamo.getItem(b -> b.tableName(h.settings.shared().scansTable()).consistentRead(true)
                    .key(Map.of("scanKey", AttributeValue.fromS("refused#http:" + requestId)))).item();
            assertEquals("malformed", stored.get("reason").s(), "stored like the batch route stores it");

            Instant t = Instant.now().minusSeconds(120);
            String key = UUID.randomUUID().toString();
            assertEquals(201, ApiHttpTest.record(h, e, scan(e, "p-1", "north", t), key).status());
            var reused = ApiHttpTest.record(h, e, scan(e, "p-2", "north", t.plusSeconds(5)), key);
            assertProblem(reused, 422, "idempotency_key_reused");
            assertEquals("p-1", ((Map<?, ?>) reused.json().get("record")).get("participantId"), "the first outcome stands");
            assertEquals(201, ApiHttpTest.record(h, e, scan(e, "p-2", "north", t.plusSeconds(10)),
                    UUID.randomUUID().toString()).status(), "the reused key claimed nothing for p-2");
            var sameAgain = ApiHttpTest.record(h, e, scan(e, "p-1", "north", t), key);
            assertEquals(201, sameAgain.status(), "the same body again is a retry, not a reuse");
        }
    }

    @Test
    void aBatchForManyGatesIsDecidedInOnePassWithOneReferenceRead(Emulators emulators) {
        try (var h = new ApiHarness(emulators)) {
            String e = ApiHttpTest.newEvent(h);
            String organizer = h.token("organizer", e);
            List<String> gates = List.of("north", "g1", "g2", "g3", "g4", "g5", "g6", "g7");
            for (String g : gates.subList(1, gates.size())) {
                assertEquals(200, h.json("PUT", "/api/v1/events/" + e + "/gates/" + g, organizer,
                        Map.of("active", true, "capacityPerMinute", 30)).status());
            }
            List<Object> scans = new ArrayList<>();
            Instant t = Instant.now().minusSeconds(300);
            for (int i = 0; i < 40; i++) scans.add(scan(e, "p-" + (i % 20), gates.get(i % gates.size()), t.plusSeconds(i)));
            List<String> reads = new java.util.concurrent.CopyOnWriteArrayList<>();
            ExecutionInterceptor countReads = new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    if (context.request() instanceof BatchGetItemRequest get) reads.addAll(get.requestItems().keySet());
                }
            };
            try (var counting = new ApiHarness(emulators, eventId -> Optional.empty(), countReads)) {
                var answer = counting.json("POST", "/api/v1/attendance/batch", counting.token("gate-staff", e),
                        Map.of("scans", scans));
                assertEquals(200, answer.status(), answer.body());
                assertEquals(40, ((List<?>) answer.json().get("successful")).size(), answer.body());
                assertEquals(1, reads.stream().filter(t2 -> t2.equals(h.settings.shared().referenceTable())).count(),
                        "one reference read for 8 gates: " + reads);
            }
        }
    }

    private static List<String> recorded(ApiHarness h, String stream, String eventId) {
        return Streams.readAll(h.kinesis, stream).stream().map(r -> OutcomeJson.fromBytes(r.data().asByteArray()))
                .filter(o -> eventId.equals(o.eventId())).map(o -> o.scanId()).toList();
    }
}
