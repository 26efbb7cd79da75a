package dev.meridian.objects.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Bytes received and checked but not yet part of an object: either written and fsync'd to the staging area
 * ({@code file}), or, for a small object, held in memory ({@code bytes}) to be committed inside its record.
 * {@link BlobStore#commit} makes them a blob, {@link #discard} drops them.
 *
 * @param file the staging file, or null when the bytes are in memory
 * @param bytes the bytes, or null when they are in a staging file
 * @param md5 the MD5 of the bytes (S3's ETag for a single PUT); empty when not computed
 * @param crc32c the CRC32C of the bytes, when computed (not for joined parts)
 * @param checksums the additional checksums that were asked for, big-endian bytes
 */
public record StagedBlob(Path file, byte[] bytes, long size, byte[] md5, OptionalInt crc32c,
        Map<Checksum, byte[]> checksums) {
    public StagedBlob {
        if ((file == null) == (bytes == null)) {
            throw new IllegalArgumentException("staged bytes are either in a file or in memory");
        }
        checksums = Map.copyOf(checksums);
    }

    static StagedBlob of(Path file, byte[] bytes, Digests digests) {
        return new StagedBlob(file, bytes, digests.size(), digests.md5() == null ? new byte[0] : digests.md5(),
                OptionalInt.of(digests.crc32c()), digests.checksums());
    }

    public boolean inMemory() {
        return bytes != null;
    }

    public void discard() {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove staged upload " + file, e);
        }
    }
}
