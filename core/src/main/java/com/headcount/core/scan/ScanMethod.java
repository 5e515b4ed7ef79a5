package com.headcount.core.scan;

import java.util.Optional;

/** How a gate saw the participant. The wire names are part of the device protocol. */
public enum ScanMethod {
    BLE_AUTO("ble_auto"),
    QR_SCAN("qr_scan"),
    MANUAL("manual");

    private final String wireName;

    ScanMethod(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ScanMethod> fromWire(String name) {
        for (ScanMethod m : values()) {
            if (m.wireName.equals(name)) return Optional.of(m);
        }
        return Optional.empty();
    }
}
