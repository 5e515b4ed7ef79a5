package com.headcount.adapters.aws;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the requests AWS would bill, per service and operation (e.g. "DynamoDb.PutItem"), as they go out.
 * Counting at the SDK rather than in our code catches every retry and page the SDK makes on its own.
 */
public final class RequestMeter implements ExecutionInterceptor {

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String name = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        requests.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    public long count(String serviceDotOperation) {
        LongAdder adder = requests.get(serviceDotOperation);
        return adder == null ? 0 : adder.sum();
    }

    public long total() {
        return requests.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Sorted, for reports. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        requests.forEach((name, adder) -> copy.put(name, adder.sum()));
        return copy;
    }

    public void reset() {
        requests.clear();
    }
}
