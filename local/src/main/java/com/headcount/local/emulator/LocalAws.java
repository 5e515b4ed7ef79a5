package com.headcount.local.emulator;

import com.headcount.adapters.aws.AwsClients;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** AWS SDK clients aimed at the local emulators, and the few set-up steps tests and the local stack share. */
public final class LocalAws {

    public static final Region REGION = Region.US_EAST_1;

    private static final String CBOR_PROPERTY = "aws.cborEnabled";
    private static final Duration STATUS_POLL = Duration.ofMillis(50);

    static {
        // kinesalite keeps a CBOR record's Data as a serialised Node Buffer and answers GetRecords with a map where
        // the SDK expects bytes; JSON round-trips (kinesis-local takes both). Read once per client, as it is built:
        // every local client is built after this class is loaded. Set the property yourself to override.
        if (System.getProperty(CBOR_PROPERTY) == null) {
            System.setProperty(CBOR_PROPERTY, "false");
        }
    }

    private LocalAws() {
    }

    /** The emulators accept any signature; these are made up so that no real credentials are ever looked up. */
    public static AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }

    public static DynamoDbClient dynamoDb(URI endpoint) {
        return clients(endpoint, endpoint).dynamoDb();
    }

    public static KinesisClient kinesis(URI endpoint) {
        return clients(endpoint, endpoint).kinesis();
    }

    /** The functions' own client factory aimed at the emulators; interceptors see every request (meters, faults). */
    public static AwsClients clients(URI dynamoDbEndpoint, URI kinesisEndpoint, ExecutionInterceptor... interceptors) {
        return AwsClients.at(REGION, credentials(), dynamoDbEndpoint, kinesisEndpoint, interceptors);
    }

    /** Creates a provisioned stream and returns its description once it is ACTIVE. */
    public static StreamDescriptionSummary createStream(KinesisClient kinesis, String name, int shards) {
        kinesis.createStream(r -> r.streamName(name).shardCount(shards));
        return awaitStreamActive(kinesis, name, Duration.ofSeconds(10));
    }

    /** Polls DescribeStreamSummary: the SDK's waiter would first sleep for seconds. */
    public static StreamDescriptionSummary awaitStreamActive(KinesisClient kinesis, String name, Duration timeout) {
        return awaitActive("stream " + name, timeout, () -> {
            try {
                var summary = kinesis.describeStreamSummary(r -> r.streamName(name)).streamDescriptionSummary();
                return new Status<>(summary.streamStatusAsString(), summary.streamStatus() == StreamStatus.ACTIVE
                        ? summary : null);
            } catch (ResourceNotFoundException e) {
                return Status.absent();
            }
        });
    }

    /**
     * Creates a table and returns its description once it is ACTIVE. dynalite answers CreateTable with CREATING and
     * turns the table ACTIVE on a later tick even with {@code --createTableMs 0}; until then a write to it is
     * refused with ResourceNotFound, as in AWS.
     */
    public static TableDescription createTable(DynamoDbClient dynamo, CreateTableRequest table) {
        dynamo.createTable(table);
        return awaitTableActive(dynamo, table.tableName(), Duration.ofSeconds(10));
    }

    public static TableDescription awaitTableActive(DynamoDbClient dynamo, String name, Duration timeout) {
        return awaitActive("table " + name, timeout, () -> {
            try {
                var table = dynamo.describeTable(r -> r.tableName(name)).table();
                return new Status<>(table.tableStatusAsString(), table.tableStatus() == TableStatus.ACTIVE
                        ? table : null);
            } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
                return Status.absent();
            }
        });
    }

    /** What one describe call saw: the status, and the description when it is the one awaited. */
    private record Status<T>(String status, T active) {
        static <T> Status<T> absent() {
            return new Status<>(null, null);
        }
    }

    private static <T> T awaitActive(String what, Duration timeout, Supplier<Status<T>> describe) {
        var deadline = System.nanoTime() + timeout.toNanos();
        Status<T> last = Status.absent();
        while (System.nanoTime() < deadline) {
            last = describe.get();
            if (last.active() != null) {
                return last.active();
            }
            try {
                Thread.sleep(STATUS_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException(what + " not ACTIVE after " + timeout
                + (last.status() == null ? " (it does not exist)" : " (status " + last.status() + ")"));
    }
}
