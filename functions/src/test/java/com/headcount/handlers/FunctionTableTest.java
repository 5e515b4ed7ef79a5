package com.headcount.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FunctionTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| (\\w+Function) \\| ([\\w.]+) \\| (.+) \\|$");

    @Test
    void theArchitectureDocumentListsTheFunctionsOfTheTable() throws Exception {
        // the module's folder is the working directory, as for the events' samples
        Path doc = Path.of(System.getProperty("headcount.events.dir", "../events")).resolveSibling("docs")
                .resolve("architecture.md");
        List<String> listed = Files.readAllLines(doc).stream().map(ROW::matcher).filter(m -> m.matches())
                .map(m -> m.group(1) + " " + m.group(2) + " " + m.group(3)).toList();
        assertEquals(FunctionTable.rows(), listed);
    }

    /** Lambda instantiates the handler class through a public constructor without arguments. */
    @Test
    void everyHandlerHasLambdasConstructorAndIsNamedAsItsRow() throws Exception {
        for (FunctionTable.Row row : FunctionTable.ALL) {
            assertEquals(row.name(), row.handler().getSimpleName());
            assertEquals(true, Modifier.isPublic(row.handler().getConstructor().getModifiers()), row.name());
        }
        assertEquals(FunctionTable.ALL.size(), FunctionTable.ALL.stream().map(FunctionTable.Row::name).distinct().count());
    }
}
