package com.headcount.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** The Context of one local invocation: a fresh request id and a clock that runs down from the timeout. */
public final class LocalContext implements Context {

    static final String ACCOUNT = "000000000000";

    private final String awsRequestId = UUID.randomUUID().toString();
    private final String functionName;
    private final long deadlineNanos;
    private final FunctionLog log;
    private final LambdaLogger logger;
    private volatile String lastLogged;

    public LocalContext(String functionName, Duration timeout) {
        this(functionName, timeout, FunctionLog.toSystemLogger(functionName));
    }

    /** @param log where the function's log lines go, its log group */
    public LocalContext(String functionName, Duration timeout, FunctionLog log) {
        this.functionName = functionName;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.log = log;
        this.logger = new InvocationLogger();
    }

    /** What the function last logged in this invocation: its own words for why a batch failed. */
    String lastLogged() {
        return lastLogged;
    }

    FunctionLog log() {
        return log;
    }

    @Override
    public String getAwsRequestId() {
        return awsRequestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local/[$LATEST]" + awsRequestId.replace("-", "");
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, Duration.ofNanos(deadlineNanos - System.nanoTime()).toMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return 512;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }

    private final class InvocationLogger implements LambdaLogger {
        @Override
        public void log(String message) {
            lastLogged = message;
            log.log(awsRequestId, message);
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    }
}
