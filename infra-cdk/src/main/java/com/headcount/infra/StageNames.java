package com.headcount.infra;

/**
 * The names a stage gives to what it creates. The stack and the gate onboarding command both use them, so a gate
 * is onboarded with the very policy, thing type and rule the stack deployed.
 */
public record StageNames(String stage) {

    public String prefix() {
        return "headcount-" + stage;
    }

    public String table(String name) {
        return prefix() + "-" + name;
    }

    public String stream(String name) {
        return prefix() + "-" + name;
    }

    public String thingType() {
        return prefix() + "-gate";
    }

    public String gatePolicy() {
        return prefix() + "-gate";
    }

    /** Rule names take letters, digits and underscores only. */
    public String scansRule() {
        return "headcount_" + stage + "_scans";
    }

    public String statusRule() {
        return "headcount_" + stage + "_status";
    }

    public String allowListRule() {
        return "headcount_" + stage + "_allowlist";
    }

    /**
     * A gate's topic: {@code headcount/<stage>/<event>/gates/<gate>/<kind>} ({@code scans}, {@code status},
     * {@code decisions}), the layout of the functions' {@code GateMessage.topic}. The stage is in every topic because
     * an account has one broker for all its stages.
     */
    public String gateTopic(String eventId, String gateId, String kind) {
        return "headcount/" + stage + "/" + eventId + "/gates/" + gateId + "/" + kind;
    }

    /** An event's topic of every gate: {@code headcount/<stage>/<event>/<kind>} (the allow-list's deltas). */
    public String eventTopic(String eventId, String kind) {
        return "headcount/" + stage + "/" + eventId + "/" + kind;
    }

    /** What a gate puts in front of its scans topic to reach the rule through Basic Ingest. */
    public String basicIngestPrefix() {
        return "$aws/rules/" + scansRule() + "/";
    }

    /** A gate's thing: its event and gate (letters, digits, {@code _ - :} only, as thing names require). */
    public String thing(String eventId, String gateId) {
        return prefix() + "_" + eventId + "_" + gateId;
    }
}
