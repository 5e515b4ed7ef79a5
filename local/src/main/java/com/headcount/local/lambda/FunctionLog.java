package com.headcount.local.lambda;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * A function's log, as CloudWatch keeps one log group per function: what the function writes through its
 * Context's logger and the errors it throws, one entry per line with the time and the request id. Either a file of
 * its own ({@code <folder>/<function>.log}, rolled to {@code .log.1} past {@value #ROLL_BYTES} bytes so a long run
 * cannot fill the disk) or, for tests, the JVM's logger.
 */
public final class FunctionLog {

    static final long ROLL_BYTES = 20L * 1024 * 1024;

    private final String functionName;
    private final Path file;
    private final System.Logger fallback;
    private Writer writer;
    private long written;

    private FunctionLog(String functionName, Path file) {
        this.functionName = functionName;
        this.file = file;
        this.fallback = System.getLogger("lambda." + functionName);
    }

    public static FunctionLog inFolder(Path folder, String functionName) {
        return new FunctionLog(functionName, folder.resolve(functionName + ".log"));
    }

    public static FunctionLog toSystemLogger(String functionName) {
        return new FunctionLog(functionName, null);
    }

    public Path file() {
        return file;
    }

    /** For messages: the file, or the logger's name. */
    public String where() {
        return file == null ? "logger lambda." + functionName : file.toString();
    }

    void log(String requestId, String message) {
        if (file == null) {
            fallback.log(Level.INFO, "{0} {1}", requestId, message);
            return;
        }
        append(Instant.now() + " " + requestId + " " + message + System.lineSeparator());
    }

    void error(String requestId, Throwable error) {
        if (file == null) {
            fallback.log(Level.DEBUG, functionName + " " + requestId + " failed", error);
            return;
        }
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        append(Instant.now() + " " + requestId + " ERROR " + trace);
    }

    private synchronized void append(String line) {
        try {
            if (writer == null || written > ROLL_BYTES) {
                open();
            }
            writer.write(line);
            // flushed per entry so that a tail -f shows the batch that just ran
            writer.flush();
            written += line.length();
        } catch (IOException e) {
            fallback.log(Level.WARNING, "cannot write " + file + ": " + e);
        }
    }

    private void open() throws IOException {
        if (writer != null) {
            writer.close();
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.createDirectories(file.getParent());
        writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        written = Files.size(file);
    }
}
