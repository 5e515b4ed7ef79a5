package com.headcount.local.ingest;

import com.headcount.local.testing.AwsEndpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.ScanRef;
import com.headcount.core.decision.Verdict;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The ingest pipeline against LocalStack's DynamoDB and Kinesis, where a Docker engine exists. Without one (as on
 * the machines this project is built on) the test is skipped and says so; the same flows are proven on dynalite and
 * kinesis-local by the other tests of this package.
 */
class LocalStackIngestTest {

    @Test
    void aDuplicateWithinTheWindowOnLocalStack() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            String why = "LocalStackIngestTest skipped: no Docker engine here, so LocalStack cannot run"
                    + " (dynalite and kinesis-local cover these flows)";
            System.out.println(why);
            Assumptions.abort(why);
        }
        try (var localstack = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4"))
                .withServices("dynamodb", "kinesis")) {
            localstack.start();
            URI endpoint = localstack.getEndpoint();
            var h = new IngestHarness(new AwsEndpoints() {
                public URI dynamoDb() {
                    return endpoint;
                }

                public URI kinesis() {
                    return endpoint;
                }
            });
            Instant t = h.now.minus(Duration.ofMinutes(30));
            Map<String, Object> first = h.scan("p-1", "north", t);
            Map<String, Object> again = h.scan("p-1", "north", t.plusSeconds(120));
            h.publish(List.of(first, again));
            try (var mapping = h.mapping(h.newFunction(), 100)) {
                mapping.pollUntilCaughtUp(Duration.ofSeconds(60));
            }
            Outcome second = h.outcomes.get(new ScanRef(h.eventId, (String) again.get("scanId"))).orElseThrow();
            assertEquals(Verdict.DUPLICATE, second.verdict());
            assertEquals(first.get("scanId"), second.firstScanId());
        }
    }
}
