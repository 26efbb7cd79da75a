package dev.meridian.fabric;

import dev.meridian.core.Version;

/**
 * The current state of one key in a keyspace: its value and the version that wrote it. Records handed to layers
 * are always live (deletes are kept as tombstones inside the fabric and never surface here).
 *
 * @param key the key within its keyspace; callers must not mutate it
 * @param value the layer's encoded value; callers must not mutate it
 */
public record Record(byte[] key, byte[] value, Version version) {}
