package dev.meridian.objects;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fabric keys of the {@code s3.objects} keyspace: {@code bucket 0x00 escaped-key 0x00 0x01 version-slot}. Escaping
 * (0x00 becomes 0x00 0xFF) and the 0x00 0x01 terminator keep the fabric's byte order equal to S3's key order
 * (UTF-8 binary), so a bucket's keys list with one ordered scan, every version of a key side by side.
 */
public final class ObjectKeys {
    public static final String KEYSPACE = "s3.objects";

    private ObjectKeys() {}

    /** The fabric key of one version slot ({@code "null"} or a version id) of {@code key}. */
    public static byte[] slot(String bucket, String key, String versionSlot) {
        ByteArrayOutputStream out = keyPrefixStream(bucket, key);
        out.write(0);
        out.write(1);
        out.writeBytes(versionSlot.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The first fabric key of {@code key}'s versions. */
    static byte[] versionsStart(String bucket, String key) {
        ByteArrayOutputStream out = keyPrefixStream(bucket, key);
        out.write(0);
        out.write(1);
        return out.toByteArray();
    }

    /** The fabric key just past every version of {@code key}: a scan from here continues at the next key. */
    static byte[] versionsEnd(String bucket, String key) {
        ByteArrayOutputStream out = keyPrefixStream(bucket, key);
        out.write(0);
        out.write(2);
        return out.toByteArray();
    }

    /** The first fabric key of any key starting with {@code prefix} in {@code bucket}. */
    static byte[] prefixStart(String bucket, String prefix) {
        return keyPrefixStream(bucket, prefix).toByteArray();
    }

    /** The fabric key just past every key starting with {@code prefix}; null when nothing can follow. */
    static byte[] prefixEnd(String bucket, String prefix) {
        byte[] start = prefixStart(bucket, prefix);
        return successor(start);
    }

    /** The object key and version slot a fabric key names. */
    public static Slot parse(byte[] fabricKey) {
        int i = 0;
        while (fabricKey[i] != 0) {
            i++;
        }
        String bucket = new String(fabricKey, 0, i, StandardCharsets.UTF_8);
        ByteArrayOutputStream key = new ByteArrayOutputStream();
        i++;
        while (true) {
            byte b = fabricKey[i];
            if (b == 0) {
                if (fabricKey[i + 1] == 1) {
                    break;
                }
                key.write(0);
                i += 2;
            } else {
                key.write(b);
                i++;
            }
        }
        String slot = new String(fabricKey, i + 2, fabricKey.length - i - 2, StandardCharsets.UTF_8);
        return new Slot(bucket, key.toString(StandardCharsets.UTF_8), slot);
    }

    /** A parsed fabric key: the object key and its version slot. */
    public record Slot(String bucket, String key, String versionSlot) {}

    private static ByteArrayOutputStream keyPrefixStream(String bucket, String key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bucket.length() + key.length() + 40);
        out.writeBytes(bucket.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            out.write(b);
            if (b == 0) {
                out.write(0xFF);
            }
        }
        return out;
    }

    /** The smallest byte string greater than every string starting with {@code prefix}; null when none is. */
    private static byte[] successor(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] next = Arrays.copyOf(prefix, i + 1);
                next[i]++;
                return next;
            }
        }
        return null;
    }
}
