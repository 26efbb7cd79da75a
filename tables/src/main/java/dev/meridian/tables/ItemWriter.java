package dev.meridian.tables;

import dev.meridian.fabric.Mutation;
import dev.meridian.fabric.Record;
import java.util.Optional;
import java.util.function.Function;

/**
 * How one key is read, decided on and written atomically: {@code Fabric::mutate} for eventual tables (this region
 * decides), {@link StrongWrites} for strong ones (the strong log decides). Either way {@code decide} may throw to
 * refuse, and nothing is written then.
 */
@FunctionalInterface
interface ItemWriter {
    <R> R mutate(String keyspace, byte[] key, Function<Optional<Record>, Mutation<R>> decide);
}
