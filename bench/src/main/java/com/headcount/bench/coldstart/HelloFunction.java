package com.headcount.bench.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** The floor of {@code bin/bench coldstart}: a handler that does nothing, started and invoked exactly as ours are. */
public final class HelloFunction implements RequestHandler<Map<String, Object>, String> {

    @Override
    public String handleRequest(Map<String, Object> input, Context context) {
        context.getLogger().log("hello " + input.size());
        return "hello";
    }
}
