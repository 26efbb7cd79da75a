package dev.meridian.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The body the S3 benchmark writes under each key, and the check that a body read back is exactly it: the same
 * random bytes for every key of one size, with the key itself written over the start. A server that answers with
 * another key's object, a truncated or padded one, or corrupted bytes fails the check.
 */
final class ObjectBodies {
    private static final long SEED = 0x6d657269L;

    private final byte[] template;

    ObjectBodies(int size) {
        if (size < ObjectSizeConverter.MIN_BYTES) {
            throw new IllegalArgumentException("an object body needs at least " + ObjectSizeConverter.MIN_BYTES
                    + " bytes for its key, got " + size);
        }
        template = new byte[size];
        new SplittableRandom(SEED + size).nextBytes(template);
    }

    int size() {
        return template.length;
    }

    /** A new buffer for {@link #fill} or for reading a body back into. */
    byte[] newBuffer() {
        return new byte[template.length];
    }

    /** Writes the body of {@code key} into the first {@link #size()} bytes of {@code into}. */
    void fill(String key, byte[] into) {
        System.arraycopy(template, 0, into, 0, template.length);
        byte[] stamp = stamp(key);
        System.arraycopy(stamp, 0, into, 0, Math.min(stamp.length, template.length));
    }

    /**
     * How {@code body} (the first {@code length} bytes of it, {@code length} being the whole body's length, which may
     * exceed the buffer) differs from the body of {@code key}; empty if it does not.
     */
    Optional<String> mismatch(String key, byte[] body, long length) {
        if (length != template.length) {
            return Optional.of("read " + length + " bytes of " + key + ", wrote " + template.length);
        }
        byte[] stamp = stamp(key);
        int stamped = Math.min(stamp.length, template.length);
        if (!Arrays.equals(body, 0, stamped, stamp, 0, stamped)) {
            String found = new String(body, 0, stamped, StandardCharsets.UTF_8);
            return Optional.of("read the body of another key for " + key + ": it starts " + printable(found));
        }
        int differs = Arrays.mismatch(body, stamped, template.length, template, stamped, template.length);
        if (differs >= 0) {
            return Optional.of("read a body of " + key + " that differs from the one written at byte "
                    + (stamped + differs));
        }
        return Optional.empty();
    }

    /** The key, and a separator so that no key's stamp is a prefix of another's. */
    private static byte[] stamp(String key) {
        return (key + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String printable(String text) {
        return "'" + text.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }
}
