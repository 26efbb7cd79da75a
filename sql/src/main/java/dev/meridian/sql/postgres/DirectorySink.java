package dev.meridian.sql.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes a clone into a data directory on this machine (emptied first; PostgreSQL wants it private). */
final class DirectorySink implements CloneSink {
    private final Path root;

    DirectorySink(Path root) throws IOException {
        this.root = root;
        PostgresBinaries.deleteTree(root);
        Files.createDirectories(root.getParent());
        Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    @Override
    public void directory(String path) throws IOException {
        Files.createDirectories(resolve(path));
    }

    @Override
    public void file(String path, Path source) throws IOException {
        Path target = resolve(path);
        Files.createDirectories(target.getParent());
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void file(String path, byte[] content) throws IOException {
        Path target = resolve(path);
        Files.createDirectories(target.getParent());
        Files.write(target, content);
    }

    /** A file streamed in (from a clone shipped by another region). */
    void file(String path, InputStream content) throws IOException {
        Path target = resolve(path);
        Files.createDirectories(target.getParent());
        Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code path} inside the root; a path that would leave it (from a hostile stream) is refused. */
    Path resolve(String path) throws IOException {
        Path target = root.resolve(path).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IOException("clone entry outside the data directory: " + path);
        }
        return target;
    }
}
