package com.headcount.device;

import java.io.IOException;

/** The gate has been offline so long that its queue reached its bound; the scan was not stored. */
public final class ScanQueueFullException extends IOException {
    public ScanQueueFullException(String message) {
        super(message);
    }
}
