package com.headcount.bench.chaos;

/** The kinds of fault a chaos run injects, in the order its schedule plays them. */
enum Fault {
    DYNAMO_THROTTLE("DynamoDB throttling (PTEE / ThrottlingException)", false),
    DYNAMO_500("DynamoDB 500 (InternalServerError)", false),
    KINESIS_READ("Kinesis PTEE on reads (GetRecords)", false),
    KINESIS_WRITE("Kinesis PTEE on writes (PutRecord/s)", false),
    FUNCTION_CRASH("function killed mid-batch (Error in an SDK call)", false),
    BROKER_RESTART("MQTT broker restarted", true),
    STACK_SIGKILL("whole stack SIGKILLed, restarted on its data", true),
    DYNALITE_RESTART("dynalite killed, restarted on its data", false),
    KINESALITE_RESTART("kinesalite killed, restarted on its data", false);

    final String label;
    /** Drops the gates' MQTT connections: a decision published meanwhile reaches no one (clean sessions). */
    final boolean disconnectsGates;

    Fault(String label, boolean disconnectsGates) {
        this.label = label;
        this.disconnectsGates = disconnectsGates;
    }
}
