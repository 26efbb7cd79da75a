package dev.meridian.objects.blob;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * What reading a body computed on the way: its length, its MD5 (when asked for), its CRC32C (always: it costs a
 * twentieth of an MD5, and copies to other regions are checked against it) and the checksums asked for.
 */
record Digests(long size, byte[] md5, int crc32c, Map<Checksum, byte[]> checksums) {
    private static final int BUFFER = 256 * 1024;

    /** Where the bytes go as they are read. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] buffer, int length) throws IOException;
    }

    /**
     * Reads {@code in} to its end in blocks handed to {@code sink}; throws {@link BlobStore.TooLargeException} at
     * the first byte past {@code maxBytes}.
     */
    static Digests of(InputStream in, boolean withMd5, Set<Checksum> checksums, long maxBytes, Sink sink)
            throws IOException {
        MessageDigest md5 = withMd5 ? Checksum.digestOf("MD5") : null;
        CRC32C crc32c = new CRC32C();
        Map<Checksum, Checksum.Running> running = new EnumMap<>(Checksum.class);
        checksums.forEach(c -> running.put(c, c.start()));
        byte[] buffer = new byte[(int) Math.min(BUFFER, maxBytes + 1)];
        long size = 0;
        int read;
        while ((read = in.readNBytes(buffer, 0, buffer.length)) > 0) {
            size += read;
            if (size > maxBytes) {
                throw new BlobStore.TooLargeException(maxBytes);
            }
            if (md5 != null) {
                md5.update(buffer, 0, read);
            }
            crc32c.update(buffer, 0, read);
            for (Checksum.Running checksum : running.values()) {
                checksum.update(buffer, 0, read);
            }
            sink.write(buffer, read);
        }
        Map<Checksum, byte[]> sums = new EnumMap<>(Checksum.class);
        running.forEach((c, r) -> sums.put(c, r.finish()));
        return new Digests(size, md5 == null ? null : md5.digest(), (int) crc32c.getValue(), sums);
    }
}
