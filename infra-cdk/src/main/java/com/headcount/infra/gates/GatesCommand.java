package com.headcount.infra.gates;

import com.headcount.infra.StageNames;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.iot.IotClient;

/**
 * {@code bin/gates onboard|offboard --event E --gates a,b [--stage dev] [--out gates]}, or
 * {@code bin/gates offboard --all [--stage dev]}: the gate onboarding command. Region and credentials come from the usual AWS places (environment, profile).
 */
public final class GatesCommand {

    private GatesCommand() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("onboard") || args[0].equals("offboard"))) {
            usage("first argument: onboard or offboard");
        }
        Map<String, String> options = new HashMap<>(Map.of("--stage", "dev", "--out", "gates"));
        boolean all = false;
        for (int i = 1; i < args.length; i += 2) {
            if (args[i].equals("--all") && args[0].equals("offboard")) {
                all = true;
                i--;
                continue;
            }
            if (i + 1 >= args.length || !List.of("--stage", "--event", "--gates", "--out").contains(args[i])) {
                usage("unknown or incomplete option: " + args[i]);
            }
            options.put(args[i], args[i + 1]);
        }
        if (all && (options.containsKey("--event") || options.containsKey("--gates"))) {
            usage("--all takes every gate of the stage: no --event or --gates with it");
        }
        if (!all && (!options.containsKey("--event") || !options.containsKey("--gates"))) usage("--event and --gates are needed");
        try (IotClient iot = IotClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
            var onboarding = new GateOnboarding(iot, new StageNames(options.get("--stage")), Path.of(options.get("--out")),
                    System.out, d -> Thread.sleep(d.toMillis()));
            if (all) {
                onboarding.offboardAll();
                return;
            }
            List<String> gates = Arrays.stream(options.get("--gates").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (args[0].equals("onboard")) {
                onboarding.onboard(options.get("--event"), gates);
            } else {
                onboarding.offboard(options.get("--event"), gates);
            }
        }
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: bin/gates onboard|offboard --event EVENT --gates GATE[,GATE...] [--stage dev] [--out gates]");
        System.err.println("       bin/gates offboard --all [--stage dev] [--out gates]   (every gate of the stage, before cdk destroy)");
        System.exit(2);
    }
}
