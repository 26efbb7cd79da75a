package dev.meridian.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What this region's data directory is — a primary's or a standby's — and in which fencing epoch it became so,
 * kept in a small file beside it ({@code postgres/role}) and replaced atomically. A region that finds its data was
 * a primary's in an older epoch knows it was failed over while away, and must not serve that data as a primary.
 */
record LocalRole(boolean primary, long epoch) {
    private static final String FILE = "role";

    /** The recorded role; without a record, what the data directory itself says (standby.signal), in epoch 1. */
    static Optional<LocalRole> read(Path serverDir) {
        Path file = serverDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                String[] fields = Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+");
                return Optional.of(new LocalRole(fields[0].equals("primary"), Long.parseLong(fields[1])));
            }
            Path data = serverDir.resolve("data");
            if (!Files.exists(data.resolve("PG_VERSION"))) {
                return Optional.empty();
            }
            return Optional.of(new LocalRole(!Files.exists(data.resolve("standby.signal")), 1));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + file + " (" + e.getMessage() + "); it holds 'primary N'"
                    + " or 'standby N'", e);
        }
    }

    void write(Path serverDir) {
        Path file = serverDir.resolve(FILE);
        Path temporary = serverDir.resolve(FILE + ".new");
        try {
            Files.createDirectories(serverDir);
            Files.writeString(temporary, (primary ? "primary " : "standby ") + epoch + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record this region's SQL role in " + file, e);
        }
    }
}
