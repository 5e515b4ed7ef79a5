/**
 * Lambda's part, played in this JVM: {@link com.headcount.local.lambda.KinesisEventSourceMapping} polls a
 * stream and calls a real handler the way an event source mapping would, so handlers run unchanged.
 */
package com.headcount.local.lambda;
