package dev.meridian.sql.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clones a running primary's data directory into a new standby's, without {@code pg_basebackup} (not in the
 * bundle), by PostgreSQL's low-level backup API: a physical replication slot first (so the primary keeps every WAL
 * segment the standby will need from the backup's start), {@code pg_backup_start}, a copy of the files,
 * {@code pg_backup_stop}, whose label file becomes the copy's {@code backup_label}. Started with
 * {@link PostgresServer.Settings#standbyOf} the copy recovers to a consistent state and then streams.
 *
 * <p>The copy goes into a directory on this machine ({@link #cloneInto}) or, as a tar stream, to another region
 * ({@link BaseBackupService}, {@link BaseBackupDownload}).
 */
public final class BaseBackup {
    private static final Logger log = LoggerFactory.getLogger(BaseBackup.class);
    static final String LABEL = "backup_label";
    /** Directories whose contents PostgreSQL recreates or does not need in a backup; the directories must exist. */
    private static final Set<String> EMPTIED = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial",
            "pg_snapshots", "pg_stat_tmp", "pg_subtrans");
    /** Files of the running primary that must not be copied. */
    private static final Set<String> SKIPPED = Set.of("postmaster.pid", "postmaster.opts", "standby.signal",
            LABEL, "tablespace_map");

    private BaseBackup() {}

    /**
     * Copies {@code primary} into {@code standby}'s data directory on this machine (replacing what it held),
     * creating replication slot {@code slot} on the primary unless it exists. Returns the number of files copied.
     */
    public static long cloneInto(PostgresServer primary, PostgresServer.Settings standby, String slot) {
        try {
            return stream(primary, slot, new DirectorySink(standby.data()));
        } catch (IOException e) {
            throw new UncheckedIOException("copying the primary's files to " + standby.data() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Takes a backup of {@code primary} into {@code sink}: every file of its data directory, then
     * {@code backup_label} last (a stream cut short has none, so it cannot be mistaken for a whole clone). Creates
     * replication slot {@code slot} unless it exists. Returns the number of files.
     */
    static long stream(PostgresServer primary, String slot, CloneSink sink) throws IOException {
        PostgresServer.Settings source = primary.settings();
        long started = System.nanoTime();
        try (Connection db = DriverManager.getConnection(primary.jdbcUrl("postgres"), source.superuser(),
                source.password())) {
            createSlot(db, slot);
            query(db, "SELECT pg_backup_start(?, true)", "meridian clone for " + slot);
            long files = copy(primary.dataDirectory(), sink);
            try (PreparedStatement stop = db.prepareStatement("SELECT labelfile, spcmapfile FROM pg_backup_stop(true)");
                    ResultSet result = stop.executeQuery()) {
                result.next();
                String tablespaceMap = result.getString(2);
                if (tablespaceMap != null && !tablespaceMap.isEmpty()) {
                    sink.file("tablespace_map", tablespaceMap.getBytes(StandardCharsets.UTF_8));
                }
                sink.file(LABEL, result.getString(1).getBytes(StandardCharsets.UTF_8));
            }
            log.info("event=postgres_backup_taken from={} slot={} files={} ms={}", primary.dataDirectory(), slot, files,
                    (System.nanoTime() - started) / 1_000_000);
            return files + 1;
        } catch (SQLException e) {
            throw new IllegalStateException("backing up the primary failed: " + e.getMessage(), e);
        }
    }

    private static void createSlot(Connection db, String slot) throws SQLException {
        try (PreparedStatement exists = db.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            exists.setString(1, slot);
            try (ResultSet result = exists.executeQuery()) {
                if (result.next()) {
                    return;
                }
            }
        }
        // true: reserve WAL now, not when the standby first connects.
        query(db, "SELECT pg_create_physical_replication_slot(?, true)", slot);
    }

    private static void query(Connection db, String sql, String argument) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, argument);
            statement.executeQuery().close();
        }
    }

    private static long copy(Path source, CloneSink sink) throws IOException {
        long files = 0;
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(source)) {
            paths = walk.toList();
        }
        for (Path path : paths) {
            Path relative = source.relativize(path);
            if (relative.toString().isEmpty() || skipped(relative)) {
                continue;
            }
            try {
                if (Files.isDirectory(path)) {
                    sink.directory(relative.toString());
                } else {
                    sink.file(relative.toString(), path);
                    files++;
                }
            } catch (NoSuchFileException removedMeanwhile) {
                // the primary keeps running: a file it deleted is replayed from WAL
            }
        }
        return files;
    }

    private static boolean skipped(Path relative) {
        if (relative.getNameCount() == 1) {
            return SKIPPED.contains(relative.toString());
        }
        return EMPTIED.contains(relative.getName(0).toString());
    }
}
