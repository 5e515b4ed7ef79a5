package com.headcount.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the stack takes from the rest of the repository: the functions' jar and the API contract. */
public final class Repository {

    private static final Pattern PATH = Pattern.compile("^  (/\\S*):\\s*$");
    /** {@code security: [{bearer: [a]}, {bearer: [b]}]}: alternatives, any one of which lets a token in. */
    private static final Pattern SECURITY = Pattern.compile("^      security: (\\[\\{bearer: \\[[^\\]]+\\]\\}(?:, \\{bearer: \\[[^\\]]+\\]\\})*\\])\\s*$");
    private static final Pattern BEARER = Pattern.compile("\\{bearer: \\[([^\\]]+)\\]\\}");
    private static final Pattern METHOD = Pattern.compile("^    (get|put|post|delete|patch|head|options):\\s*$");

    private final Path root;

    private Repository(Path root) {
        this.root = root;
    }

    /** The checkout this runs in: the nearest folder up from here holding {@code functions/pom.xml}. */
    public static Repository here() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("functions/pom.xml"))) return new Repository(p);
        }
        throw new IllegalStateException("run from inside the Headcount checkout (no functions/pom.xml above "
                + Path.of("").toAbsolutePath() + ")");
    }

    /** The shaded jar Lambda runs: built by the functions module, which the reactor builds before this one. */
    public Path functionsJar() {
        Path target = root.resolve("functions/target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().matches("functions-.*-lambda\\.jar")).toList();
            if (jars.size() != 1) {
                throw new IllegalStateException("expected one functions/target/functions-*-lambda.jar, found " + jars.size()
                        + ": build it first (bin/synth does, or mvn -pl infra-cdk -am package)");
            }
            return jars.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every operation of the OpenAPI contract as "METHOD /path", in file order. */
    public List<String> apiOperations() {
        return new ArrayList<>(apiScopes().keySet());
    }

    /** Every operation of the OpenAPI contract, in file order, with the scopes its {@code security} names. */
    public Map<String, List<String>> apiScopes() {
        Map<String, List<String>> operations = new LinkedHashMap<>();
        String path = null;
        String operation = null;
        try {
            for (String line : Files.readAllLines(root.resolve("functions/src/main/resources/openapi.yaml"))) {
                if (line.startsWith("components:")) break;
                Matcher p = PATH.matcher(line);
                if (p.matches()) {
                    path = p.group(1);
                    continue;
                }
                Matcher m = METHOD.matcher(line);
                if (m.matches() && path != null) {
                    operation = m.group(1).toUpperCase() + " " + path;
                    operations.put(operation, List.of());
                    continue;
                }
                Matcher s = SECURITY.matcher(line);
                if (s.matches() && operation != null) {
                    List<String> scopes = new ArrayList<>();
                    Matcher b = BEARER.matcher(s.group(1));
                    while (b.find()) scopes.addAll(List.of(b.group(1).trim().split("\\s*,\\s*")));
                    operations.put(operation, List.copyOf(scopes));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (operations.isEmpty()) throw new IllegalStateException("no operations found in openapi.yaml");
        operations.forEach((op, scopes) -> {
            // a route without a scope would take any token of the issuer for the audience
            if (scopes.isEmpty()) throw new IllegalStateException("openapi.yaml: " + op + " names no scope");
        });
        return operations;
    }
}
