package com.headcount.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.messages.MessageTypes;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/asyncapi.yaml and events/ agree: every message names a sample that exists and has the message's required
 * fields (those of its payload, the first {@code required} list under it), and every MQTT and WebSocket message sample
 * in events/ is some message's.
 */
class AsyncApiSamplesTest {

    static final Pattern MESSAGE = Pattern.compile("^    ([A-Z][A-Za-z]+):\\s*$");
    static final Pattern SAMPLE = Pattern.compile("^      x-sample: (\\S+)\\s*$");
    static final Pattern REQUIRED = Pattern.compile("^        required: \\[(.*)]\\s*$");
    static final Pattern TYPE = Pattern.compile("^          type: \\{const: ([^}\\s]+)}\\s*$");

    record Message(String name, String sample, List<String> required) {}

    static List<Message> messages() throws IOException {
        Path doc = EventSamplesTest.events().resolveSibling("docs").resolve("asyncapi.yaml");
        List<Message> found = new ArrayList<>();
        boolean inMessages = false;
        String name = null, sample = null;
        List<String> required = null;
        for (String line : Files.readAllLines(doc)) {
            if (line.equals("  messages:")) inMessages = true;
            if (!inMessages) continue;
            Matcher m;
            if ((m = MESSAGE.matcher(line)).matches()) {
                if (name != null) found.add(new Message(name, sample, required));
                name = m.group(1);
                sample = null;
                required = null;
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                sample = m.group(1);
            } else if (required == null && (m = REQUIRED.matcher(line)).matches()) {
                required = Arrays.stream(m.group(1).split(",")).map(String::trim).toList();
            }
        }
        if (name != null) found.add(new Message(name, sample, required));
        return found;
    }

    @Test
    void everyMessageHasASampleWithItsRequiredFields() throws IOException {
        List<Message> messages = messages();
        assertEquals(14, messages.size(), "scan, decision, heartbeat, last will, the allow-list's three and the dashboard"
                + " feed's seven: " + messages);
        for (Message m : messages) {
            assertTrue(m.sample() != null && m.required() != null, m.toString());
            Map<String, Object> sample = JSON.std.mapFrom(Files.readString(EventSamplesTest.events().resolve(m.sample())));
            for (String field : m.required()) assertTrue(sample.containsKey(field), m.sample() + " lacks " + field);
        }
    }

    @Test
    void everyMessageSampleIsDescribed() throws IOException {
        var described = new TreeSet<String>();
        for (Message m : messages()) described.add(m.sample());
        var samples = new TreeSet<String>();
        Map<String, String> kinds = new LinkedHashMap<>(Map.of("mqtt", "(scan|decision|status|allowlist).*", "websocket", "(message|reply|push)-.*"));
        for (var kind : kinds.entrySet()) {
            try (Stream<Path> files = Files.list(EventSamplesTest.events().resolve(kind.getKey()))) {
                files.map(p -> kind.getKey() + "/" + p.getFileName())
                        .filter(p -> p.substring(p.indexOf('/') + 1).matches(kind.getValue())).forEach(samples::add);
            }
        }
        // the other scan and decision samples are variants of the message that names one of them
        samples.removeIf(s -> (s.startsWith("mqtt/scan-") || s.startsWith("mqtt/decision-")
                || s.startsWith("mqtt/allowlist-answer-")) && !described.contains(s));
        assertEquals(samples, described);
    }

    /** The code names each message type once (MessageTypes); the contract must name the same ones, spelt the same. */
    @Test
    void theMessageTypesOfTheContractAreTheOnesTheCodeDefines() throws IOException, IllegalAccessException {
        Path doc = EventSamplesTest.events().resolveSibling("docs").resolve("asyncapi.yaml");
        var contract = new TreeSet<String>();
        for (String line : Files.readAllLines(doc)) {
            Matcher m = TYPE.matcher(line);
            if (m.matches()) contract.add(m.group(1));
        }
        var code = new TreeSet<String>();
        for (Field f : MessageTypes.class.getFields()) code.add((String) f.get(null));
        assertEquals(contract, code);
    }
}
