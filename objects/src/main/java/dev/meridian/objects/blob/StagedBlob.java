package dev.meridian.objects.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Bytes written and fsync'd to the staging area, not yet part of the store; {@link BlobStore#commit} makes them a
 * blob, {@link #discard} drops them.
 *
 * @param md5 the MD5 of the bytes (S3's ETag for a single PUT)
 * @param checksums the additional checksums that were asked for, big-endian bytes
 */
public record StagedBlob(Path file, long size, byte[] md5, Map<Checksum, byte[]> checksums) {
    public StagedBlob {
        checksums = Map.copyOf(checksums);
    }

    public void discard() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove staged upload " + file, e);
        }
    }
}
