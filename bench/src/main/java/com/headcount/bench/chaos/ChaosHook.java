package com.headcount.bench.chaos;

import com.headcount.local.stack.FaultHook;
import com.headcount.local.stack.LocalStack;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;

/**
 * The chaos run's agent inside the stack JVM ({@link FaultHook}): it reads what to inject from a control file the
 * bench writes ({@code -Dheadcount.chaos.control}) and reports what it injected in a status file beside it. A file
 * and not a port: it survives the stack's own restarts and needs nothing open in the stack beyond the hook.
 *
 * <p>Errors are thrown before the request is sent (the emulator never sees it), so what a function gets is what it
 * would get from AWS once the SDK's own retries are used up: the harsher case, and the one its code must handle.
 */
public final class ChaosHook implements FaultHook {

    static final String CONTROL = "headcount.chaos.control";

    /** What a function sees when its instance dies under it: not an exception its code could catch and carry on. */
    static final class InjectedCrash extends Error {
        InjectedCrash(String message) {
            super(message);
        }
    }

    private final Path control = Path.of(System.getProperty(CONTROL));
    private final Path status = control.resolveSibling(control.getFileName() + ".status");
    private volatile Properties wanted = new Properties();
    private final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();
    private final AtomicInteger crashCountdown = new AtomicInteger();
    private volatile String crashArmed = "";
    private volatile String crashFunction = "";
    private volatile String crashDone = "";
    private volatile String brokerRestarted = "";
    private volatile String brokerFailure = "";
    private volatile LocalStack stack;

    public ChaosHook() {
        Thread.ofPlatform().daemon().name("chaos-hook").start(this::watch);
    }

    @Override
    public ExecutionInterceptor interceptor() {
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                inject(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                        attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        };
    }

    @Override
    public void started(LocalStack stack) {
        this.stack = stack;
    }

    private void inject(String service, String operation) {
        Properties p = wanted;
        boolean dynamo = "DynamoDB".equalsIgnoreCase(service);
        if (dynamo && !crashArmed.isEmpty() && insideFunction(crashFunction) && crashCountdown.decrementAndGet() == 0) {
            crashDone = crashArmed;
            crashArmed = "";
            count("crash " + crashFunction);
            throw new InjectedCrash("injected: " + crashFunction + " killed during " + operation);
        }
        var random = ThreadLocalRandom.current();
        if (dynamo) {
            if (random.nextDouble() < rate(p, "dynamo.throttle")) {
                count("dynamo.throttle");
                // both names DynamoDB uses for a throttled request
                boolean provisioned = random.nextBoolean();
                throw DynamoDbException.builder().statusCode(400).message("injected throttling")
                        .awsErrorDetails(AwsErrorDetails.builder().serviceName("DynamoDb")
                                .errorCode(provisioned ? "ProvisionedThroughputExceededException" : "ThrottlingException")
                                .build()).build();
            }
            if (random.nextDouble() < rate(p, "dynamo.500")) {
                count("dynamo.500");
                throw InternalServerErrorException.builder().statusCode(500).message("injected internal server error")
                        .awsErrorDetails(AwsErrorDetails.builder().serviceName("DynamoDb").errorCode("InternalServerError")
                                .build()).build();
            }
        } else if ("Kinesis".equals(service)) {
            boolean read = "GetRecords".equals(operation);
            boolean write = "PutRecord".equals(operation) || "PutRecords".equals(operation);
            if ((read && random.nextDouble() < rate(p, "kinesis.read"))
                    || (write && random.nextDouble() < rate(p, "kinesis.write"))) {
                count(read ? "kinesis.read" : "kinesis.write");
                throw software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException.builder()
                        .statusCode(400).message("injected: rate exceeded for shard")
                        .awsErrorDetails(AwsErrorDetails.builder().serviceName("Kinesis")
                                .errorCode("ProvisionedThroughputExceededException").build()).build();
            }
        }
    }

    /** Only a request made from inside the function's handler: the crash must land partway through a batch. */
    private static boolean insideFunction(String function) {
        String name = "com.headcount.handlers." + function;
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getClassName().equals(name)));
    }

    private static double rate(Properties p, String name) {
        String value = p.getProperty(name);
        return value == null ? 0 : Double.parseDouble(value);
    }

    private void count(String what) {
        injected.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    /** Every 20 ms: the control file in, the status file out. */
    private void watch() {
        String lastStatus = "";
        while (true) {
            try {
                Thread.sleep(20);
                if (Files.exists(control)) {
                    Properties p = new Properties();
                    try (Reader in = Files.newBufferedReader(control)) {
                        p.load(in);
                    }
                    wanted = p;
                    String crash = p.getProperty("crash.id", "");
                    if (!crash.isEmpty() && !crash.equals(crashArmed) && !crash.equals(crashDone)) {
                        crashFunction = p.getProperty("crash.function");
                        crashCountdown.set(Integer.parseInt(p.getProperty("crash.after", "3")));
                        crashArmed = crash;
                    }
                    String restart = p.getProperty("broker.restart", "");
                    if (!restart.isEmpty() && !restart.equals(brokerRestarted) && stack != null) {
                        // once per request, failed or not: a broker that cannot start again is the finding
                        brokerRestarted = restart;
                        try {
                            stack.restartBroker();
                        } catch (Exception e) {
                            brokerFailure = restart + ": " + e;
                            System.err.println("chaos hook: the broker did not restart: " + e);
                        }
                    }
                }
                Properties out = new Properties();
                injected.forEach((k, v) -> out.setProperty("injected." + k, Long.toString(v.get())));
                out.setProperty("crash.done", crashDone);
                out.setProperty("broker.restarted", brokerRestarted);
                out.setProperty("broker.failure", brokerFailure);
                out.setProperty("ready", Boolean.toString(stack != null));
                String text = out.toString();
                if (!text.equals(lastStatus)) {
                    Path temporary = status.resolveSibling(status.getFileName() + ".tmp");
                    try (Writer w = Files.newBufferedWriter(temporary)) {
                        out.store(w, null);
                    }
                    Files.move(temporary, status, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    lastStatus = text;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                System.err.println("chaos hook: " + e);
            }
        }
    }
}
