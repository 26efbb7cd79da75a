package dev.meridian.objects;

import dev.meridian.fabric.Fabric;
import dev.meridian.objects.blob.BlobStore;
import dev.meridian.objects.blob.Checksum;
import dev.meridian.objects.blob.StagedBlob;
import dev.meridian.objects.multipart.Part;
import dev.meridian.objects.multipart.Upload;
import dev.meridian.objects.multipart.Uploads;
import dev.meridian.objects.s3.S3Error;
import dev.meridian.objects.s3.S3Exception;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The objects layer of one region: buckets and object versions in the fabric, bytes in the local blob store,
 * multipart uploads in progress.
 *
 * <p>Write path: the bytes are streamed to a staging file and fsync'd, moved into the blob store, and only then is
 * the version's metadata committed to the fabric (durable locally before the client is answered); a crash at any
 * point before that commit leaves no visible object. The metadata replicates to every region at once; the bytes
 * follow, copied by the destination regions' workers. An object of at most {@link ObjectVersion#MAX_INLINE_BYTES}
 * in a bucket that replicates everywhere skips the blob store: its bytes are committed inside its record (one
 * fsync'd write) and travel with it.
 */
public final class ObjectStore {
    /** S3's largest single PUT and largest part: 5 GiB. */
    public static final long MAX_PUT_BYTES = 5L * 1024 * 1024 * 1024;
    /** Every part but the last must be at least this long. */
    public static final long MIN_PART_BYTES = 5L * 1024 * 1024;

    private final String region;
    private final BucketCatalog buckets;
    private final ObjectCatalog objects;
    private final BlobStore blobs;
    private final Uploads uploads;
    private final Clock clock;
    private volatile InlineWrites inlineWrites = InlineWrites.NONE;

    private ObjectStore(String region, Fabric fabric, Path dir, Clock clock) {
        this.region = region;
        this.buckets = new BucketCatalog(fabric);
        this.objects = new ObjectCatalog(fabric);
        this.blobs = BlobStore.open(dir);
        this.uploads = Uploads.open(dir.resolve("uploads"));
        this.clock = clock;
    }

    /** Opens the objects layer of {@code fabric}'s region, its files under {@code dir}. */
    public static ObjectStore open(Fabric fabric, Path dir, Clock clock) {
        return new ObjectStore(fabric.region(), fabric, dir, clock);
    }

    public String region() {
        return region;
    }

    /** Tells {@code listener} about each write whose bytes ride in its record, around its commit. */
    public void watchInlineWrites(InlineWrites listener) {
        this.inlineWrites = listener;
    }

    public BucketCatalog buckets() {
        return buckets;
    }

    public ObjectCatalog objects() {
        return objects;
    }

    public BlobStore blobs() {
        return blobs;
    }

    public Uploads uploads() {
        return uploads;
    }

    public Bucket createBucket(String name, List<String> replicateTo) {
        Bucket bucket = new Bucket(name, clock.millis(), Bucket.Versioning.OFF, replicateTo);
        buckets.create(bucket);
        return bucket;
    }

    /** Deletes an empty bucket: BucketNotEmpty while any version, delete marker or upload remains in it. */
    public void deleteBucket(String name) {
        buckets.delete(name, bucket -> objects.isEmpty(bucket) && uploads.list(bucket).isEmpty());
    }

    public void setVersioning(String bucket, Bucket.Versioning status) {
        buckets.setVersioning(bucket, status);
    }

    /**
     * Makes staged bytes a new version of {@code key}. {@code precondition} sees the key's current version (empty
     * when none, or a delete marker) and may refuse by throwing; the bytes are then dropped.
     */
    public StoredVersion put(Bucket bucket, String key, StagedBlob staged, ObjectContent content,
            Consumer<Optional<StoredVersion>> precondition) {
        String etag = HexFormat.of().formatHex(staged.md5());
        return commit(bucket, key, staged, etag, List.of(), base64(staged.checksums()), content, precondition);
    }

    /**
     * CompleteMultipartUpload: joins the listed parts (each must exist with the given ETag, in ascending order, all
     * but the last at least 5 MiB) into the object, whose ETag is the MD5 of the parts' MD5s and {@code -N}.
     * {@code expectedChecksum}, the whole object's checksum as the client computed it (a full-object upload's), must
     * match the one derived from the parts, or nothing is written and the upload stays.
     */
    public StoredVersion complete(Bucket bucket, Upload upload, List<RequestedPart> requested,
            Optional<String> expectedChecksum) {
        Map<Integer, Part> uploaded = new HashMap<>();
        uploads.parts(upload).forEach(part -> uploaded.put(part.number(), part));
        List<Part> parts = new ArrayList<>();
        int previous = 0;
        for (RequestedPart wanted : requested) {
            if (wanted.number() <= previous) {
                throw new S3Exception(S3Error.INVALID_PART_ORDER);
            }
            previous = wanted.number();
            Part part = uploaded.get(wanted.number());
            if (part == null || !part.etag().equals(unquote(wanted.etag()))) {
                throw new S3Exception(S3Error.INVALID_PART).with("UploadId", upload.uploadId())
                        .with("PartNumber", Integer.toString(wanted.number())).with("ETag", wanted.etag());
            }
            parts.add(part);
        }
        for (int i = 0; i < parts.size() - 1; i++) {
            if (parts.get(i).size() < MIN_PART_BYTES) {
                throw new S3Exception(S3Error.ENTITY_TOO_SMALL)
                        .with("ProposedSize", Long.toString(parts.get(i).size()))
                        .with("MinSizeAllowed", Long.toString(MIN_PART_BYTES))
                        .with("PartNumber", Integer.toString(parts.get(i).number()))
                        .with("ETag", parts.get(i).etag());
            }
        }
        Map<String, String> checksums = multipartChecksums(upload, parts);
        expectedChecksum.ifPresent(expected -> {
            String derived = checksums.get(upload.checksumAlgorithm());
            if (derived != null && !derived.equals(expected.strip())) {
                throw new S3Exception(S3Error.BAD_DIGEST, "The " + upload.checksumAlgorithm().toLowerCase(Locale.ROOT)
                        + " you specified did not match the calculated checksum.");
            }
        });
        StagedBlob joined;
        try {
            joined = blobs.concat(parts.stream().map(p -> uploads.partFile(upload, p.number())).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot join the parts of upload " + upload.uploadId(), e);
        }
        MessageDigest md5s = Checksum.digestOf("MD5");
        parts.forEach(part -> md5s.update(HexFormat.of().parseHex(part.etag())));
        String etag = HexFormat.of().formatHex(md5s.digest()) + "-" + parts.size();
        StoredVersion stored = commit(bucket, upload.key(), joined, etag, parts.stream().map(Part::size).toList(),
                checksums, new ObjectContent(upload.headers(), upload.userMetadata()),
                ObjectCatalog.UNCONDITIONAL);
        uploads.remove(upload);
        return stored;
    }

    /** A part as CompleteMultipartUpload lists it: its number and the ETag the client got for it. */
    public record RequestedPart(int number, String etag) {}

    /**
     * Deletes {@code key} (or its version {@code versionId}) unless {@code precondition}, given the key's current
     * version, refuses by throwing; the check and the delete are atomic among this region's writes to the key.
     */
    public ObjectCatalog.DeleteOutcome delete(Bucket bucket, String key, String versionId,
            Consumer<Optional<StoredVersion>> precondition) {
        return objects.delete(bucket, key, versionId, clock.millis(), region, precondition);
    }

    private StoredVersion commit(Bucket bucket, String key, StagedBlob staged, String etag, List<Long> partSizes,
            Map<String, String> checksums, ObjectContent content, Consumer<Optional<StoredVersion>> precondition) {
        String versionId = bucket.versioning() == Bucket.Versioning.ENABLED
                ? ObjectCatalog.newVersionId() : ObjectVersion.NULL_VERSION;
        // Bytes ride in the record only where the record goes anyway: a bucket replicating to every region.
        if (staged.inMemory() && bucket.replicateTo().isEmpty() && inlineWrites.accepting()) {
            var object = new ObjectVersion(versionId, false, "", staged.size(), etag, partSizes, clock.millis(), region,
                    content.headers(), content.userMetadata(), checksums, null, staged.bytes());
            var slot = new ObjectKeys.Slot(bucket.name(), key, versionId);
            inlineWrites.committing(slot);
            try {
                return objects.put(bucket.name(), key, object, precondition);
            } finally {
                inlineWrites.settled(slot);
            }
        }
        String blobId = BlobStore.newBlobId(BlobStore.slotDigest(ObjectKeys.slot(bucket.name(), key, versionId)));
        try {
            blobs.commit(staged, blobId);
        } catch (IOException e) {
            staged.discard();
            throw new UncheckedIOException("cannot store the bytes of " + bucket.name() + "/" + key, e);
        }
        Integer crc32c = staged.crc32c().isPresent() ? staged.crc32c().getAsInt() : null;
        var object = new ObjectVersion(versionId, false, blobId, staged.size(), etag, partSizes, clock.millis(), region,
                content.headers(), content.userMetadata(), checksums, crc32c, null);
        try {
            return objects.put(bucket.name(), key, object, precondition);
        } catch (RuntimeException e) {
            blobs.delete(blobId);
            throw e;
        }
    }

    /**
     * S3's checksum of a multipart object, only when the upload named an algorithm and every part carries it: for a
     * FULL_OBJECT upload the CRC of the whole object, derived from the parts' CRCs; for a COMPOSITE one the algorithm
     * over the parts' checksums, then {@code -N}.
     */
    private static Map<String, String> multipartChecksums(Upload upload, List<Part> parts) {
        Optional<Checksum> algorithm = Checksum.named(upload.checksumAlgorithm());
        if (algorithm.isEmpty() || !parts.stream().allMatch(p -> p.checksums().containsKey(algorithm.get().name()))) {
            return Map.of();
        }
        List<byte[]> sums = parts.stream()
                .map(part -> Base64.getDecoder().decode(part.checksums().get(algorithm.get().name())))
                .toList();
        if (upload.fullObjectChecksum()) {
            byte[] whole = algorithm.get().combination().orElseThrow()
                    .ofParts(sums, parts.stream().map(Part::size).toList());
            return Map.of(algorithm.get().name(), Base64.getEncoder().encodeToString(whole));
        }
        Checksum.Running composite = algorithm.get().start();
        sums.forEach(sum -> composite.update(sum, 0, sum.length));
        return Map.of(algorithm.get().name(),
                Base64.getEncoder().encodeToString(composite.finish()) + "-" + parts.size());
    }

    /** Checksums as S3 reports them: base64, by algorithm name. */
    public static Map<String, String> base64(Map<Checksum, byte[]> checksums) {
        Map<String, String> out = new TreeMap<>();
        checksums.forEach((c, sum) -> out.put(c.name(), Base64.getEncoder().encodeToString(sum)));
        return out;
    }

    static String unquote(String etag) {
        String trimmed = etag.trim();
        return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")
                ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
    }
}
