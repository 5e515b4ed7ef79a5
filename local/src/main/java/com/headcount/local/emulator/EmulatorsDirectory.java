package com.headcount.local.emulator;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the npm-installed emulators live: local/emulators of this checkout. */
public final class EmulatorsDirectory {

    public static final String PROPERTY = "headcount.emulators.dir";

    private EmulatorsDirectory() {
    }

    /**
     * The folder named by the system property (Maven's surefire sets it), else the nearest local/emulators
     * above the working directory, so that a run from an IDE or from the module folder finds it too.
     */
    public static Path locate() {
        var configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return requireInstalled(Path.of(configured).toAbsolutePath().normalize());
        }
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            var candidate = dir.resolve("local").resolve("emulators");
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                return requireInstalled(candidate);
            }
        }
        throw new IllegalStateException("no local/emulators folder above " + Path.of("").toAbsolutePath()
                + "; set -D" + PROPERTY + "=<checkout>/local/emulators");
    }

    static Path requireInstalled(Path emulators) {
        if (!Files.isDirectory(emulators.resolve("node_modules"))) {
            throw new IllegalStateException("the emulators are not installed in " + emulators
                    + ": run bin/emulators (npm ci in local/emulators)");
        }
        return emulators;
    }

    static Path requireFile(Path emulators, String relative) {
        var file = emulators.resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: run bin/emulators (npm ci in local/emulators)");
        }
        return file;
    }
}
