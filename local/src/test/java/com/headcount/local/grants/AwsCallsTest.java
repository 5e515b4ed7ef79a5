package com.headcount.local.grants;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The calls each function made in this module's tests ({@code AwsCalls}, recorded where the harnesses and the local
 * stack build each function's clients) against the checked-in list the grants test in infra-cdk compares with the
 * synthesised template. Runs after every other test class (junit-platform.properties orders classes; this one last).
 *
 * <p>A call missing from the list always fails. A listed call no test made fails only when every test class of the
 * module ran (a run of a few classes records only theirs), and is not marked {@code # sometimes: why} (a call only
 * a race makes, which a run may or may not have). {@code -Dheadcount.awsCalls.write=true} writes the list instead:
 * what was recorded, the calls marked sometimes, and what was listed when not every class ran.
 */
@Order(Integer.MAX_VALUE)
class AwsCallsTest {

    static final String WRITE = "headcount.awsCalls.write";
    static final String LIST = "infra-cdk/src/test/resources/com/headcount/infra/aws-calls.txt";
    private static final String HEADER = """
            # Every AWS call each function makes in the local module's integration tests, as IAM sees it: function,
            # action, resource (named by the variable that tells the function its name). Generated: run the local
            # tests with -Dheadcount.awsCalls.write=true; AwsCallsTest fails when the calls differ from this list,
            # and infra-cdk's GrantsTest fails when the template grants a function more or less than its calls.
            # A call only a race makes is marked "# sometimes: why": a run without it still passes.
            """;
    private static final String SOMETIMES = " # sometimes:";

    @Test
    void every_call_a_function_made_is_in_the_checked_in_list_and_every_listed_call_was_made() throws IOException {
        Path list = root().resolve(LIST);
        List<String> recorded = AwsCallsRecord.lines();
        Map<String, String> sometimes = new TreeMap<>();
        Set<String> listed = read(list, sometimes);
        boolean everyClassRan = AwsCallsRecord.plannedClasses().containsAll(testClasses());

        if (Boolean.getBoolean(WRITE)) {
            Set<String> calls = new TreeSet<>(recorded);
            calls.addAll(sometimes.keySet());
            if (!everyClassRan) calls.addAll(listed);
            List<String> lines = calls.stream().map(c -> sometimes.containsKey(c) ? c + sometimes.get(c) : c).toList();
            Files.createDirectories(list.getParent());
            Files.writeString(list, HEADER + String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            return;
        }
        Set<String> unlisted = new TreeSet<>(recorded);
        unlisted.removeAll(listed);
        assertEquals(Set.of(), unlisted, "calls the functions made that " + LIST + " does not list: run the local"
                + " tests with -D" + WRITE + "=true to add them, and grant them in infra-cdk (GrantsTest says where)");
        if (everyClassRan) {
            Set<String> unmade = new TreeSet<>(listed);
            unmade.removeAll(recorded);
            unmade.removeAll(sometimes.keySet());
            assertEquals(Set.of(), unmade, "listed calls no test made any more: run the local tests with -D" + WRITE
                    + "=true to drop them, and drop their grants in infra-cdk");
        } else {
            System.out.println("AwsCallsTest: not every test class ran, so listed calls no test made are not checked");
        }
    }

    /** The listed calls; those marked sometimes also into {@code sometimes}, with their mark. */
    private static Set<String> read(Path list, Map<String, String> sometimes) throws IOException {
        Set<String> lines = new TreeSet<>();
        if (!Files.exists(list)) return lines;
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int mark = line.indexOf(SOMETIMES);
            String call = (mark < 0 ? line : line.substring(0, mark)).trim();
            if (mark >= 0) sometimes.put(call, line.substring(mark).stripTrailing());
            lines.add(call);
        }
        return lines;
    }

    /** Every test class of the module, from target/test-classes. */
    private static List<String> testClasses() throws IOException {
        Path classes = Path.of("target", "test-classes");
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            files.map(p -> classes.relativize(p).toString())
                    .filter(p -> p.endsWith("Test.class") && !p.contains("$"))
                    .forEach(p -> names.add(p.substring(0, p.length() - ".class".length()).replace('/', '.')));
        }
        return names;
    }

    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("functions/pom.xml"))) return p;
        }
        throw new IllegalStateException("no functions/pom.xml above " + Path.of("").toAbsolutePath());
    }
}
