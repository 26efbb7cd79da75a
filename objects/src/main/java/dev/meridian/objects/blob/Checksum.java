package dev.meridian.objects.blob;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/** The additional checksums S3 computes and stores when a client asks for them ({@code x-amz-checksum-*}). */
public enum Checksum {
    CRC32("crc32", 4),
    CRC32C("crc32c", 4),
    CRC64NVME("crc64nvme", 8),
    SHA1("sha1", 20),
    SHA256("sha256", 32);

    private final String headerSuffix;
    private final int length;

    Checksum(String headerSuffix, int length) {
        this.headerSuffix = headerSuffix;
        this.length = length;
    }

    /** The header that carries this checksum, e.g. {@code x-amz-checksum-crc32}. */
    public String header() {
        return "x-amz-checksum-" + headerSuffix;
    }

    /** The checksum's length in bytes, before base64. */
    public int length() {
        return length;
    }

    /** The algorithm S3 names {@code name} ({@code CRC32}, {@code crc32c}, …), if it is one of these. */
    public static Optional<Checksum> named(String name) {
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** S3's checksum type of a checksum over the whole object's bytes. */
    public static final String FULL_OBJECT = "FULL_OBJECT";
    /** S3's checksum type of a multipart object's checksum over its parts' checksums. */
    public static final String COMPOSITE = "COMPOSITE";

    /**
     * S3's type of a stored checksum value: COMPOSITE for a multipart object's checksum of its parts' checksums,
     * which ends in {@code -N} (the part count; base64 has no '-'), else FULL_OBJECT.
     */
    public static String typeOf(String value) {
        return value.contains("-") ? COMPOSITE : FULL_OBJECT;
    }

    /** The type of a version's checksums (all of one kind), by algorithm; empty when it has none. */
    public static Optional<String> typeOf(Map<String, String> checksums) {
        return checksums.values().stream().findFirst().map(Checksum::typeOf);
    }

    /** How this checksum of consecutive runs of bytes combines into that of all of them: the CRCs only. */
    public Optional<CrcCombination> combination() {
        return switch (this) {
            case CRC32 -> Optional.of(CrcCombination.CRC32);
            case CRC32C -> Optional.of(CrcCombination.CRC32C);
            case CRC64NVME -> Optional.of(CrcCombination.CRC64NVME);
            case SHA1, SHA256 -> Optional.empty();
        };
    }

    /** A CRC of {@code bytes} bytes (4 or 8) as S3 gives it: big-endian. */
    static byte[] bigEndian(long crc, int bytes) {
        ByteBuffer value = ByteBuffer.allocate(bytes);
        return (bytes == 8 ? value.putLong(crc) : value.putInt((int) crc)).array();
    }

    /** A fresh running computation of this checksum. */
    public Running start() {
        return switch (this) {
            case CRC32 -> new Crc(new CRC32(), 4);
            case CRC32C -> new Crc(new CRC32C(), 4);
            case CRC64NVME -> new Crc(new Crc64Nvme(), 8);
            case SHA1 -> new Digest(digestOf("SHA-1"));
            case SHA256 -> new Digest(digestOf("SHA-256"));
        };
    }

    public static MessageDigest digestOf(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }

    /** A checksum being computed over bytes as they stream past. */
    public interface Running {
        void update(byte[] bytes, int offset, int length);

        /** The checksum of everything so far, as S3 reports it: big-endian bytes. */
        byte[] finish();
    }

    private record Crc(java.util.zip.Checksum crc, int bytes) implements Running {
        @Override
        public void update(byte[] bytes, int offset, int length) {
            crc.update(bytes, offset, length);
        }

        @Override
        public byte[] finish() {
            return bigEndian(crc.getValue(), bytes);
        }
    }

    private record Digest(MessageDigest digest) implements Running {
        @Override
        public void update(byte[] bytes, int offset, int length) {
            digest.update(bytes, offset, length);
        }

        @Override
        public byte[] finish() {
            return digest.digest();
        }
    }
}
