package com.headcount.handlers;

import java.nio.ByteBuffer;

/** What the stream-triggered handlers need from a Kinesis record. */
final class KinesisRecords {

    private KinesisRecords() {}

    /** The record's data; the buffer itself is left as it was, for anyone reading it after us. */
    static byte[] bytes(ByteBuffer data) {
        if (data == null) return new byte[0];
        ByteBuffer copy = data.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
