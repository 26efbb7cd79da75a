package dev.meridian.fabric;

/**
 * What a layer decided to do with one key, given its current state (see {@link Fabric#mutate}), and the answer
 * to hand back to the caller once the decision is durable.
 */
public sealed interface Mutation<R> {
    R result();

    /** Store {@code value} as the key's new state. */
    record Put<R>(byte[] value, R result) implements Mutation<R> {}

    /** Delete the key (a tombstone that replicates). */
    record Delete<R>(R result) implements Mutation<R> {}

    /** Change nothing (e.g. a failed condition); nothing is logged or replicated. */
    record Keep<R>(R result) implements Mutation<R> {}

    static <R> Mutation<R> put(byte[] value, R result) {
        return new Put<>(value, result);
    }

    static <R> Mutation<R> delete(R result) {
        return new Delete<>(result);
    }

    static <R> Mutation<R> keep(R result) {
        return new Keep<>(result);
    }
}
