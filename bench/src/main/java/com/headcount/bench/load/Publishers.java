package com.headcount.bench.load;

import com.headcount.device.Scan;

/** The gates of a run: something outside the stack that publishes scans over MQTT and hears the decisions. */
interface Publishers extends AutoCloseable {

    /** Publishes (or queues for publishing) one scan at its gate, made now. */
    void send(int gate, Scan scan, boolean measure) throws Exception;

    /** Scans made and not yet acknowledged by the broker, when the publisher can tell (-1 otherwise). */
    long queued();

    /** The processes whose CPU is the publishers' (this JVM for gate clients, the mosquitto processes otherwise). */
    java.util.List<Long> pids();

    String describe();
}
