package com.headcount.core.dashboard;

/** Sends one message to one connection (API Gateway's @connections API in AWS). */
public interface ConnectionPoster {

    enum Delivery {
        DELIVERED,
        /** The connection is closed for good (410): its item is to be removed. */
        GONE,
        /** Not delivered this time (timeout, throttling, a server error); the connection may still be there. */
        FAILED
    }

    /** Never throws: a failure is a {@link Delivery}, so one connection cannot stop a broadcast. */
    Delivery post(String connectionId, byte[] message);

    /** Closes the connection (its authorisation ended); never throws, a connection gone already is fine. */
    default void close(String connectionId) {}
}
