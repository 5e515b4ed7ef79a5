package com.headcount.local.stack;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The local stack's data folder holds the token key and every table and stream: only its owner may read it. Both are
 * made with their permissions from the first moment, not set after: a file written then restricted can be opened by
 * another user in between, and the open stays good after the change.
 */
public final class PrivateFiles {

    static final Set<PosixFilePermission> OWNER_FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /** Makes the folder (and missing parents) owner-only; an existing one, from before this rule, is narrowed. */
    public static Path folder(Path folder) throws IOException {
        if (!posix(folder)) return Files.createDirectories(folder);
        if (!Files.isDirectory(folder)) Files.createDirectories(folder, attribute(OWNER_FOLDER));
        if (!Files.getPosixFilePermissions(folder).equals(OWNER_FOLDER)) Files.setPosixFilePermissions(folder, OWNER_FOLDER);
        return folder;
    }

    /**
     * Writes a new owner-only file whole: a temporary file made owner-only, filled, then renamed into place, so the
     * file is never seen half written nor with wider permissions.
     *
     * @throws FileAlreadyExistsException if another start made it first (its content stands)
     */
    public static void writeNew(Path file, byte[] content) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Path temp = posix(folder)
                ? Files.createTempFile(folder, file.getFileName().toString(), ".tmp", attribute(OWNER_FILE))
                : Files.createTempFile(folder, file.getFileName().toString(), ".tmp");
        try {
            Files.write(temp, content);
            if (Files.exists(file)) throw new FileAlreadyExistsException(file.toString());
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }
}
