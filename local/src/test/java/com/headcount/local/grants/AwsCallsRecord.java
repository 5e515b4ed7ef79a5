package com.headcount.local.grants;

import com.headcount.local.lambda.AwsCalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Notes which test classes this run holds (so {@link AwsCallsTest} knows whether every one ran), and at the end
 * writes what the functions called to {@code target/aws-calls.txt}, in the checked-in list's format.
 */
public final class AwsCallsRecord implements TestExecutionListener {

    private static final Set<String> PLANNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static Set<String> plannedClasses() {
        return Set.copyOf(PLANNED);
    }

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier test : plan.getDescendants(root)) {
                test.getSource().filter(ClassSource.class::isInstance)
                        .ifPresent(s -> PLANNED.add(((ClassSource) s).getClassName()));
            }
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        try {
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target", "aws-calls.txt"), lines(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "Function action resource", sorted. */
    static List<String> lines() {
        List<String> lines = new ArrayList<>();
        AwsCalls.recorded().forEach((function, calls) -> calls.forEach(call -> lines.add(function + " " + call)));
        return new ArrayList<>(new TreeSet<>(lines));
    }
}
