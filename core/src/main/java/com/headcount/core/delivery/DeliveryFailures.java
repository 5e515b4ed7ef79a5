package com.headcount.core.delivery;

/** Where undelivered alerts are recorded (the statistics table in AWS). */
public interface DeliveryFailures {

    /** Idempotent: the same alert and target again replaces the record. Throws when it could not be recorded. */
    void record(DeliveryFailure failure);
}
