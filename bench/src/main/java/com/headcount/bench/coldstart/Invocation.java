package com.headcount.bench.coldstart;

/**
 * One function's first event: its handler class and the event {@link FirstEvent} builds for it.
 *
 * @param event KINESIS: the record's data in base64; HTTP: {@code METHOD PATH BODY}; WEBSOCKET:
 *              {@code CONNECTION_ID QUERY BODY}; SCHEDULE: ignored
 */
record Invocation(String function, String handlerClass, Kind kind, String event) {

    enum Kind { SCHEDULE, KINESIS, HTTP, WEBSOCKET }

    static final String HANDLERS = "com.headcount.handlers.";

    static Invocation of(String function, Kind kind, String event) {
        return new Invocation(function, HANDLERS + function, kind, event);
    }
}
