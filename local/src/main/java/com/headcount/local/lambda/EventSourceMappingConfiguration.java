package com.headcount.local.lambda;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a Kinesis event source mapping, named as in Lambda's CreateEventSourceMapping.
 * Immutable; {@link #builder()} starts from Lambda's defaults except where a comment says otherwise.
 *
 * @param maximumRetryAttempts -1 retries until the records expire, which locally means forever
 * @param onFailure            where a batch goes once its retries are exhausted
 * @param pollInterval         the least time from one read of a shard that found nothing to the next read (local
 *                             only; Lambda's is about a second, Kinesis allows 5 reads a second per shard)
 * @param functionTimeout      what the handler's Context counts its remaining time down from
 */
public record EventSourceMappingConfiguration(
        String streamName,
        String functionName,
        int batchSize,
        Duration maximumBatchingWindow,
        StartingPosition startingPosition,
        int maximumRetryAttempts,
        boolean bisectBatchOnFunctionError,
        boolean reportBatchItemFailures,
        OnFailureDestination onFailure,
        Duration pollInterval,
        Duration functionTimeout) {

    public enum StartingPosition { TRIM_HORIZON, LATEST }

    public EventSourceMappingConfiguration {
        Objects.requireNonNull(streamName, "streamName");
        Objects.requireNonNull(functionName, "functionName");
        Objects.requireNonNull(maximumBatchingWindow, "maximumBatchingWindow");
        Objects.requireNonNull(startingPosition, "startingPosition");
        Objects.requireNonNull(onFailure, "onFailure");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(functionTimeout, "functionTimeout");
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize must be 1..10000 as in Lambda, was " + batchSize);
        }
        if (maximumRetryAttempts < -1 || maximumRetryAttempts > 10_000) {
            throw new IllegalArgumentException("maximumRetryAttempts must be -1..10000 as in Lambda, was "
                    + maximumRetryAttempts);
        }
        if (maximumBatchingWindow.isNegative() || maximumBatchingWindow.compareTo(Duration.ofSeconds(300)) > 0) {
            throw new IllegalArgumentException("maximumBatchingWindow must be 0..300 s, was " + maximumBatchingWindow);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .streamName(streamName)
                .functionName(functionName)
                .batchSize(batchSize)
                .maximumBatchingWindow(maximumBatchingWindow)
                .startingPosition(startingPosition)
                .maximumRetryAttempts(maximumRetryAttempts)
                .bisectBatchOnFunctionError(bisectBatchOnFunctionError)
                .reportBatchItemFailures(reportBatchItemFailures)
                .onFailure(onFailure)
                .pollInterval(pollInterval)
                .functionTimeout(functionTimeout);
    }

    boolean retriesForever() {
        return maximumRetryAttempts == -1;
    }

    public static final class Builder {
        private String streamName;
        private String functionName = "local-function";
        private int batchSize = 100;
        private Duration maximumBatchingWindow = Duration.ZERO;
        private StartingPosition startingPosition = StartingPosition.TRIM_HORIZON;
        // Lambda's default is -1 (forever); a bounded default keeps a poison record from stalling a local run
        private int maximumRetryAttempts = 3;
        private boolean bisectBatchOnFunctionError;
        // off in Lambda unless FunctionResponseTypes names it; every Headcount mapping turns it on
        private boolean reportBatchItemFailures = true;
        private OnFailureDestination onFailure = OnFailureDestination.discard();
        // 5 reads a second per idle shard: Kinesis's limit per shard; a read with records is followed at once
        private Duration pollInterval = Duration.ofMillis(200);
        private Duration functionTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        public Builder streamName(String streamName) {
            this.streamName = streamName;
            return this;
        }

        public Builder functionName(String functionName) {
            this.functionName = functionName;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder maximumBatchingWindow(Duration maximumBatchingWindow) {
            this.maximumBatchingWindow = maximumBatchingWindow;
            return this;
        }

        public Builder startingPosition(StartingPosition startingPosition) {
            this.startingPosition = startingPosition;
            return this;
        }

        public Builder maximumRetryAttempts(int maximumRetryAttempts) {
            this.maximumRetryAttempts = maximumRetryAttempts;
            return this;
        }

        public Builder bisectBatchOnFunctionError(boolean bisectBatchOnFunctionError) {
            this.bisectBatchOnFunctionError = bisectBatchOnFunctionError;
            return this;
        }

        public Builder reportBatchItemFailures(boolean reportBatchItemFailures) {
            this.reportBatchItemFailures = reportBatchItemFailures;
            return this;
        }

        public Builder onFailure(OnFailureDestination onFailure) {
            this.onFailure = onFailure;
            return this;
        }

        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        public Builder functionTimeout(Duration functionTimeout) {
            this.functionTimeout = functionTimeout;
            return this;
        }

        public EventSourceMappingConfiguration build() {
            return new EventSourceMappingConfiguration(streamName, functionName, batchSize, maximumBatchingWindow,
                    startingPosition, maximumRetryAttempts, bisectBatchOnFunctionError, reportBatchItemFailures,
                    onFailure, pollInterval, functionTimeout);
        }
    }
}
