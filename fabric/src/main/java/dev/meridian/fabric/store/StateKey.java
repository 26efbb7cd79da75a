package dev.meridian.fabric.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where a (keyspace, key) pair lives in the state column family: {@code keyspace | 0x00 | key}. Keyspaces never
 * contain 0x00, so each keyspace is one contiguous, prefix-free range and keys keep their byte order inside it.
 */
public final class StateKey {
    private StateKey() {}

    public static byte[] of(String keyspace, byte[] key) {
        byte[] prefix = prefix(keyspace);
        byte[] out = Arrays.copyOf(prefix, prefix.length + key.length);
        System.arraycopy(key, 0, out, prefix.length, key.length);
        return out;
    }

    /** The first byte string of the keyspace's range. */
    public static byte[] prefix(String keyspace) {
        if (keyspace.indexOf('\0') >= 0 || keyspace.isEmpty()) {
            throw new IllegalArgumentException("keyspace names are non-empty and never contain NUL");
        }
        byte[] name = keyspace.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(name, name.length + 1);
    }

    /** The first byte string after the keyspace's range. */
    public static byte[] end(String keyspace) {
        byte[] prefix = prefix(keyspace);
        prefix[prefix.length - 1] = 1;
        return prefix;
    }

    public static String keyspace(byte[] stateKey) {
        return new String(stateKey, 0, separator(stateKey), StandardCharsets.UTF_8);
    }

    public static byte[] key(byte[] stateKey) {
        return Arrays.copyOfRange(stateKey, separator(stateKey) + 1, stateKey.length);
    }

    private static int separator(byte[] stateKey) {
        for (int i = 0; i < stateKey.length; i++) {
            if (stateKey[i] == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a state key");
    }
}
