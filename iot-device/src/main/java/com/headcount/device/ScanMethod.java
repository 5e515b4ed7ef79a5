package com.headcount.device;

/** How the gate recognised the participant; the names are the wire values of the scan message in docs/asyncapi.yaml. */
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

    public static ScanMethod fromWireName(String name) {
        for (ScanMethod method : values()) {
            if (method.wireName.equals(name)) {
                return method;
            }
        }
        throw new IllegalArgumentException("unknown scan method: " + name);
    }
}
