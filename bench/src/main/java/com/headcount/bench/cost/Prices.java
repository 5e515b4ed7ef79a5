package com.headcount.bench.cost;

/**
 * The prices every dollar figure of {@code bin/bench cost} uses, in one place. Source: AWS public pricing pages,
 * us-east-1, as listed in issue 13 (late 2026), to be checked against the pages before anyone quotes them.
 */
public final class Prices {

    public static final String SOURCE = "AWS public pricing pages, us-east-1, as listed in issue 13 (2026-11-29), to be checked";

    public static final double IOT_MESSAGE = 1.00e-6;
    public static final double IOT_RULE = 0.15e-6;
    public static final double IOT_ACTION = 0.15e-6;
    public static final double KINESIS_STREAM_HOUR = 0.04;
    public static final double KINESIS_GB_IN = 0.08;
    public static final double KINESIS_GB_OUT = 0.04;
    public static final double DYNAMODB_WRU = 0.625e-6;
    public static final double DYNAMODB_RRU = 0.125e-6;
    public static final double LAMBDA_GB_SECOND = 0.0000133334;
    public static final double LAMBDA_REQUEST = 0.20e-6;
    public static final double HTTP_API_REQUEST = 1.00e-6;
    public static final double WEBSOCKET_MESSAGE = 1.00e-6;
    public static final double WEBSOCKET_CONNECTION_MINUTE = 0.25e-6;

    /** The functions' memory as the CDK app sets it today (StageSettings: 1 024 MB each; issue 13 item 5 sizes them). */
    public static final double FUNCTION_GB = 1.0;

    private Prices() {}

    /** The table for the report. */
    public static String table() {
        return """
                | item | price |
                |---|---|
                | IoT Core messaging (per message, up to 5 KB; none through Basic Ingest) | $1.00 per million |
                | IoT rule triggered / action executed | $0.15 / $0.15 per million |
                | Kinesis on-demand: stream-hour / GB in (records rounded up to 1 KB) / GB out | $0.04 / $0.08 / $0.04 |
                | DynamoDB on-demand: write request unit / read request unit | $0.625 / $0.125 per million |
                | Lambda arm64: GB-second (INIT billed) / request | $0.0000133334 / $0.20 per million |
                | API Gateway HTTP API request | $1.00 per million |
                | API Gateway WebSocket: message / connection-minute | $1.00 / $0.25 per million |
                """ + "\nSource: " + SOURCE + ".\n";
    }
}
