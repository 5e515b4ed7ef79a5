package com.headcount.handlers;

import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.OutcomeJson;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.core.scan.GateMessage;
import com.headcount.core.scan.ParsedScan;
import com.headcount.core.scan.ScanParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * SnapStart priming. Lambda snapshots an execution environment after INIT and restores it for every cold start; what
 * the JVM has loaded and compiled by then, and what the SDK clients build lazily on their first request (marshallers,
 * signer, endpoint rules, the HTTP stack), comes back already done. A function registers one harmless warm-up (a
 * read of a key that cannot exist, a parse of a sample message: nothing written, nothing published), which runs in
 * {@link #beforeCheckpoint}. A warm-up that fails is logged and ignored: priming only saves time.
 *
 * <p>Without SnapStart no checkpoint is taken and nothing runs, unless {@value #AT_INIT}=true asks for the warm-up
 * in INIT itself (provisioned concurrency, or {@code bin/bench coldstart --variants lambda-primed}, which measures
 * what a restored function still pays on its first event).
 */
public final class Priming implements Resource {

    public static final String AT_INIT = "HEADCOUNT_PRIME_AT_INIT";

    /** An event id the id rule refuses: no organiser can create it, so reading it finds nothing, ever. */
    static final String NO_EVENT = "#priming";

    /** CRaC contexts may hold resources weakly; these live as long as the function. */
    private static final List<Priming> REGISTERED = new ArrayList<>();

    private final String function;
    private final Runnable warmUp;

    Priming(String function, Runnable warmUp) {
        this.function = function;
        this.warmUp = warmUp;
    }

    /** Called once from a handler's Lambda constructor. */
    static synchronized void register(String function, Runnable warmUp) {
        Priming priming = new Priming(function, warmUp);
        REGISTERED.add(priming);
        if ("true".equals(System.getenv(AT_INIT))) {
            priming.prime();
        } else {
            Core.getGlobalContext().register(priming);
        }
    }

    void prime() {
        try {
            warmUp.run();
        } catch (RuntimeException e) {
            System.err.printf("{\"level\":\"WARN\",\"msg\":\"priming failed\",\"function\":\"%s\",\"error\":\"%s\"}%n",
                    function, e.getClass().getSimpleName());
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to renew: the SDK reconnects on its own, and credentials come from the restored environment
    }

    /**
     * The scan path's warm-up: a batch read of the reference table (the DynamoDB client end to end), and a sample
     * message through the topic envelope, the parser and the outcome's JSON both ways.
     */
    static Runnable scanPath(DynamoDbClient dynamo, String referenceTable) {
        return () -> {
            new DynamoReferenceData(dynamo, referenceTable).lookup(List.of(new ReferenceKey.OfEvent(NO_EVENT)));
            String scan = "{\"scanId\":\"priming\",\"eventId\":\"priming\",\"participantId\":\"priming\","
                    + "\"gateId\":\"priming\",\"timestamp\":\"2026-01-01T09:00:00+01:00\",\"method\":\"qr_scan\"}";
            GateMessage message = GateMessage.fromRecord(
                    GateMessage.toRecord("priming", "priming", scan.getBytes(StandardCharsets.UTF_8)));
            if (new ScanParser().parse(message) instanceof ParsedScan.Valid valid) {
                Instant now = Instant.now();
                OutcomeJson.fromBytes(OutcomeJson.toBytes(Outcome.accepted("priming", valid.scan(), now, now)));
            }
        };
    }
}
