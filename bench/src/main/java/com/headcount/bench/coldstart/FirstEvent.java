package com.headcount.bench.coldstart;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of {@code bin/bench coldstart}: what the Lambda runtime does for a new execution environment, and no
 * more. Loads the handler class by name, constructs it (INIT), hands it one event (the first invoke), then prints one
 * line of {@link System#nanoTime()} readings (the same monotonic clock as the parent's on Linux), so the parent can
 * split its own wall time from spawn to answer into JVM start, INIT and first invoke.
 *
 * <p>Kept to JDK, aws-lambda-java-core and -events classes: everything else it loads is the function's own cost. The
 * event is built in code, as the runtime's deserialiser (outside our jar, the same for every function and the floor)
 * would hand it over. Arguments: handler class, event kind, event text (see {@link Invocation}).
 */
public final class FirstEvent {

    public static final String MARK = "coldstart";

    private FirstEvent() {
    }

    public static void main(String[] args) throws Exception {
        long main = System.nanoTime();
        try {
            @SuppressWarnings("unchecked")
            RequestHandler<Object, Object> handler = (RequestHandler<Object, Object>) Class.forName(args[0])
                    .getDeclaredConstructor().newInstance();
            long init = System.nanoTime();
            Object event = event(Invocation.Kind.valueOf(args[1]), args[2]);
            handler.handleRequest(event, new BenchContext(args[0]));
            long handled = System.nanoTime();
            // read after the clock stopped: ManagementFactory loads classes of its own
            int classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
            System.out.printf("%s main=%d init=%d handled=%d rssKb=%d classes=%d cpuMs=%d%n", MARK, main, init,
                    handled, peakRssKb(), classes, cpuMillis());
            System.out.flush();
            System.exit(0);
        } catch (Throwable t) {
            System.out.println(MARK + "-failed " + t);
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static Object event(Invocation.Kind kind, String text) {
        return switch (kind) {
            case SCHEDULE -> new HashMap<String, Object>(Map.of("source", "aws.events", "detail-type", "Scheduled Event"));
            case KINESIS -> kinesis(text.substring(0, text.indexOf(':')),
                    Base64.getDecoder().decode(text.substring(text.indexOf(':') + 1)));
            case HTTP -> http(text);
            case WEBSOCKET -> webSocket(text);
        };
    }

    /** {@code SEQUENCE:BASE64}: one record of shard 0. */
    private static KinesisEvent kinesis(String sequence, byte[] data) {
        var record = new KinesisEvent.Record();
        record.setData(ByteBuffer.wrap(data));
        record.setSequenceNumber(sequence);
        record.setPartitionKey("north");
        record.setApproximateArrivalTimestamp(new Date());
        var entry = new KinesisEvent.KinesisEventRecord();
        entry.setKinesis(record);
        entry.setEventID("shardId-000000000000:" + record.getSequenceNumber());
        entry.setEventSource("aws:kinesis");
        var event = new KinesisEvent();
        event.setRecords(List.of(entry));
        return event;
    }

    /** {@code METHOD PATH BODY}: a call authorised as the demo event's organiser. */
    private static APIGatewayV2HTTPEvent http(String text) {
        String[] parts = text.split(" ", 3);
        var jwt = APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                .withClaims(Map.of("sub", "coldstart", "roles", "[organizer]", "events", "[demo]")).build();
        var context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRequestId("coldstart-" + System.nanoTime())
                .withTimeEpoch(System.currentTimeMillis())
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(parts[0]).withPath(parts[1]).build())
                .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(jwt).build())
                .build();
        return APIGatewayV2HTTPEvent.builder().withRawPath(parts[1]).withRequestContext(context)
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody(parts.length > 2 ? parts[2] : null).withIsBase64Encoded(false).build();
    }

    /** {@code CONNECTION_ID QUERY BODY}: QUERY is {@code k=v&k=v} or {@code -}. */
    private static APIGatewayV2WebSocketEvent webSocket(String text) {
        String[] parts = text.split(" ", 3);
        var context = new APIGatewayV2WebSocketEvent.RequestContext();
        context.setConnectionId(parts[0]);
        var event = new APIGatewayV2WebSocketEvent();
        event.setRequestContext(context);
        if (!parts[1].equals("-")) {
            Map<String, String> query = new HashMap<>();
            for (String pair : parts[1].split("&")) {
                int eq = pair.indexOf('=');
                query.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            event.setQueryStringParameters(query);
        }
        if (parts.length > 2) event.setBody(parts[2]);
        return event;
    }

    private static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (Exception e) {
            // not Linux: the column stays empty
        }
        return 0;
    }

    /** User and system CPU of this JVM so far, all threads (JIT and GC included), from /proc: 10 ms ticks. */
    private static long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (Exception e) {
            return 0;
        }
    }

    /** A runtime's context: names only; the function's log lines go to stderr, which the parent keeps in a file. */
    private record BenchContext(String functionName) implements Context {
        public String getAwsRequestId() {
            return "coldstart";
        }

        public String getLogGroupName() {
            return "/aws/lambda/" + functionName;
        }

        public String getLogStreamName() {
            return "coldstart";
        }

        public String getFunctionName() {
            return functionName;
        }

        public String getFunctionVersion() {
            return "1";
        }

        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
        }

        public CognitoIdentity getIdentity() {
            return null;
        }

        public ClientContext getClientContext() {
            return null;
        }

        public int getRemainingTimeInMillis() {
            return 60_000;
        }

        public int getMemoryLimitInMB() {
            return 1024;
        }

        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                public void log(String message) {
                    System.err.println(message);
                }

                public void log(byte[] message) {
                    log(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
