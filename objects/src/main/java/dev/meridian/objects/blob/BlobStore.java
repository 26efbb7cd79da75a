package dev.meridian.objects.blob;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Object bytes on local disk, one file per blob, written whole to a staging area and fsync'd before they are moved
 * into place: a blob that exists is complete, so a crash mid-upload leaves only staging debris (cleared at open).
 *
 * <p>A blob id starts with a digest of the object version it belongs to, so all blobs ever written for one version
 * slot sit side by side and the ones it no longer references can be found and removed.
 */
public final class BlobStore {
    private static final Logger log = LoggerFactory.getLogger(BlobStore.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path blobs;
    private final Path staging;
    private final StagingFiles stagingFiles;

    private BlobStore(Path blobs, Path staging, StagingFiles stagingFiles) {
        this.blobs = blobs;
        this.staging = staging;
        this.stagingFiles = stagingFiles;
    }

    /** Opens the store under {@code dir}, discarding whatever a crash left half-written. */
    public static BlobStore open(Path dir) {
        try {
            Path blobs = Files.createDirectories(dir.resolve("blobs"));
            Path staging = Files.createDirectories(dir.resolve("staging"));
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(staging)) {
                for (Path leftover : leftovers) {
                    Files.deleteIfExists(leftover);
                }
            }
            StagingFiles stagingFiles = StagingFiles.in(staging);
            log.debug("event=blob_store_opened dir=\"{}\" direct_writes={}", dir, stagingFiles.direct());
            return new BlobStore(blobs, staging, stagingFiles);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the blob store in " + dir, e);
        }
    }

    /** A new blob id for a version slot whose digest is {@code slotDigest} (see {@link #slotDigest}). */
    public static String newBlobId(String slotDigest) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        return slotDigest + "-" + HexFormat.of().formatHex(random);
    }

    /** A short, stable digest of a version slot's identity (its fabric key). */
    public static String slotDigest(byte[] slotKey) {
        byte[] sha = Checksum.digestOf("SHA-256").digest(slotKey);
        return HexFormat.of().formatHex(sha, 0, 12);
    }

    /**
     * Streams {@code in} to a staging file, computing the MD5, the CRC32C and {@code checksums} on the way, and fsyncs
     * it. At most {@code maxBytes} are accepted: one byte more and this throws {@link TooLargeException}. A failure
     * to read {@code in} comes out as it was thrown; one to write the file (a full disk, say) as a
     * {@link StorageException}.
     */
    public StagedBlob stage(InputStream in, Set<Checksum> checksums, long maxBytes) throws IOException {
        return stage(in, true, checksums, maxBytes);
    }

    /**
     * As {@link #stage}, for bytes copied from another region: only their CRC32C is computed, to be checked against
     * the one the origin recorded.
     */
    public StagedBlob stageCopy(InputStream in, long maxBytes) throws IOException {
        return stage(in, false, Set.of(), maxBytes);
    }

    private StagedBlob stage(InputStream in, boolean withMd5, Set<Checksum> checksums, long maxBytes)
            throws IOException {
        Path file = onDisk(() -> Files.createTempFile(staging, "put-", ".part"));
        boolean staged = false;
        try (StagingFiles.Writer out = onDisk(() -> stagingFiles.open(file))) {
            Digests digests = Digests.of(in, withMd5, checksums, maxBytes, (buffer, length) -> onDisk(() -> {
                out.write(buffer, 0, length);
                return null;
            }));
            onDisk(() -> {
                out.finish();
                return null;
            });
            staged = true;
            return StagedBlob.of(file, null, digests);
        } finally {
            if (!staged) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * Reads a small body whole into memory, computing the MD5 and {@code checksums}; for bytes that will ride in
     * their object's record. At most {@code maxBytes} are accepted, as {@link #stage}.
     */
    public static StagedBlob stageInMemory(InputStream in, Set<Checksum> checksums, int maxBytes) throws IOException {
        var bytes = new ByteArrayOutputStream();
        Digests digests = Digests.of(in, true, checksums, maxBytes, (buffer, length) -> bytes.write(buffer, 0, length));
        return StagedBlob.of(null, bytes.toByteArray(), digests);
    }

    /** Joins the given files, in order, into one staged blob (no checksums computed: the parts have theirs). */
    public StagedBlob concat(List<Path> parts) throws IOException {
        Path file = Files.createTempFile(staging, "concat-", ".part");
        long size = 0;
        boolean staged = false;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (Path part : parts) {
                try (FileChannel in = FileChannel.open(part, StandardOpenOption.READ)) {
                    long length = in.size();
                    long done = 0;
                    while (done < length) {
                        done += in.transferTo(done, length - done, out);
                    }
                    size += length;
                }
            }
            out.force(true);
            staged = true;
        } finally {
            if (!staged) {
                Files.deleteIfExists(file);
            }
        }
        return new StagedBlob(file, null, size, new byte[0], OptionalInt.empty(), Map.of());
    }

    /** Makes staged bytes the blob {@code blobId}, durably (the rename and its directory are fsync'd). */
    public void commit(StagedBlob staged, String blobId) throws IOException {
        if (staged.inMemory()) {
            staged = stage(new ByteArrayInputStream(staged.bytes()), Set.of(), staged.size());
        }
        Path target = path(blobId);
        // Nearly always there already: createDirectories would find that out by catching an exception.
        if (!Files.isDirectory(target.getParent())) {
            Files.createDirectories(target.getParent());
        }
        Files.move(staged.file(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(target.getParent());
    }

    /** The blob's file, when this region holds it. */
    public Optional<Path> find(String blobId) {
        Path path = path(blobId);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    public boolean has(String blobId) {
        return Files.isRegularFile(path(blobId));
    }

    /** The blobs this region holds for the version slot with {@code slotDigest}. */
    public List<String> blobsOfSlot(String slotDigest) {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(fanOut(slotDigest), slotDigest + "-*")) {
            dir.forEach(path -> ids.add(path.getFileName().toString()));
        } catch (NoSuchFileException e) {
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list blobs of " + slotDigest, e);
        }
        return ids;
    }

    /** The time the blob was last written, in epoch millis; 0 when it is gone. */
    public long modifiedMillis(String blobId) {
        try {
            return Files.getLastModifiedTime(path(blobId)).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    public void delete(String blobId) {
        try {
            Files.deleteIfExists(path(blobId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete blob " + blobId, e);
        }
    }

    Path path(String blobId) {
        if (blobId.length() < 5 || blobId.contains("/") || blobId.contains("\\") || blobId.startsWith(".")) {
            throw new IllegalArgumentException("not a blob id: " + blobId);
        }
        return fanOut(blobId).resolve(blobId);
    }

    // Two levels of 256 directories keep each directory small at millions of blobs.
    private Path fanOut(String id) {
        return blobs.resolve(id.substring(0, 2)).resolve(id.substring(2, 4));
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** One step on this region's disk. */
    @FunctionalInterface
    private interface DiskStep<T> {
        T run() throws IOException;
    }

    /** Runs {@code step}, a failure of which is this region's, not the client's: a {@link StorageException}. */
    private static <T> T onDisk(DiskStep<T> step) throws StorageException {
        try {
            return step.run();
        } catch (IOException e) {
            throw new StorageException(e);
        }
    }

    /** Thrown by {@link #stage} when this region could not write the bytes to its own disk: not the client's fault. */
    public static final class StorageException extends IOException {
        StorageException(IOException cause) {
            super("cannot write to the blob store: " + cause.getMessage(), cause);
        }
    }

    /** Thrown by {@link #stage} when the bytes exceed the limit it was given. */
    public static final class TooLargeException extends IOException {
        public TooLargeException(long limit) {
            super("more than " + limit + " bytes");
        }
    }
}
