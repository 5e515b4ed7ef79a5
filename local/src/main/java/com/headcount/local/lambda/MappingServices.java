package com.headcount.local.lambda;

import java.lang.System.Logger.Level;
import java.util.function.Consumer;

/**
 * What a mapping needs around it beyond its settings: where checkpoints are kept, the function's log, and the
 * console that hears about a stuck batch.
 */
record MappingServices(Checkpoints checkpoints, FunctionLog log, Consumer<String> console) {

    static MappingServices defaults(String functionName) {
        System.Logger logger = System.getLogger(KinesisEventSourceMapping.class.getName());
        return new MappingServices(Checkpoints.inMemory(), FunctionLog.toSystemLogger(functionName),
                line -> logger.log(Level.WARNING, line));
    }

    String logName() {
        return log.where();
    }
}
