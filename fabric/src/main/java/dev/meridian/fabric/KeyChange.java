package dev.meridian.fabric;

import java.util.Optional;
import java.util.function.Function;

/**
 * One key's read-modify-write for {@link Fabric#mutateEach}: {@code decide} gets the key's live record (empty when
 * absent or deleted) and says what to write.
 */
public record KeyChange<R>(String keyspace, byte[] key, Function<Optional<Record>, Mutation<R>> decide) {}
