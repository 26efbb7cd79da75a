package dev.meridian.objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One version of an object (or a delete marker), as its metadata replicates through the fabric. A small object's
 * bytes ride in the record itself ({@code inline}), so they are durable with the metadata in one commit and reach
 * every region with it; a larger object's bytes live in the blob store of each region that holds a copy, under
 * {@code blobId}.
 *
 * @param versionId the S3 version id; {@code "null"} for a write to an unversioned or suspended bucket
 * @param deleteMarker true for a delete marker, which has no bytes
 * @param blobId the bytes' id in every region's blob store; empty for a delete marker
 * @param size the object's length in bytes
 * @param etag the ETag as S3 computes it, unquoted: hex MD5, or hex MD5 of the parts' MD5s plus {@code -N}
 * @param partSizes for a multipart object, each part's length, so a copy can recompute the ETag to verify the
 *     bytes; empty for a single PUT
 * @param lastModifiedMillis when the version was written (epoch millis)
 * @param origin the region that accepted the write; it always holds the bytes
 * @param headers the content headers stored with the object (Content-Type, Cache-Control, …), by canonical name
 * @param userMetadata {@code x-amz-meta-*} headers, by lowercase name without the prefix
 * @param checksums additional checksums, by algorithm ({@code CRC32}, {@code CRC32C}, {@code SHA1}, {@code SHA256}),
 *     base64 as S3 gives them
 * @param blobCrc32c the CRC32C of a blob's bytes as the origin received them, which each copy is checked against
 *     (cheaper than recomputing the ETag); null for inline bytes, multipart objects, and versions recorded before it
 *     was, whose copies are checked against their ETag
 * @param inline the object's bytes when they are carried in the record (at most {@link #MAX_INLINE_BYTES}), else
 *     null; {@code blobId} is then empty
 */
public record ObjectVersion(String versionId, boolean deleteMarker, String blobId, long size, String etag,
        List<Long> partSizes, long lastModifiedMillis, String origin, Map<String, String> headers,
        Map<String, String> userMetadata, Map<String, String> checksums,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer blobCrc32c,
        @JsonInclude(JsonInclude.Include.NON_NULL) byte[] inline) {
    /** The version id S3 gives writes that versioning does not keep apart. */
    public static final String NULL_VERSION = "null";
    /**
     * The largest object whose bytes ride in its record. Small enough that a replication batch of such records stays
     * a few megabytes; large enough for the configs, thumbnails and documents most buckets are full of.
     */
    public static final int MAX_INLINE_BYTES = 64 * 1024;

    public ObjectVersion {
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(blobId, "blobId");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(origin, "origin");
        partSizes = List.copyOf(partSizes);
        headers = Map.copyOf(headers);
        userMetadata = Map.copyOf(userMetadata);
        checksums = Map.copyOf(checksums);
        if (inline != null && (inline.length != size || !blobId.isEmpty() || blobCrc32c != null)) {
            throw new IllegalArgumentException("inline bytes must be the whole object, without a blob");
        }
    }

    public static ObjectVersion deleteMarker(String versionId, long lastModifiedMillis, String origin) {
        return new ObjectVersion(versionId, true, "", 0, "", List.of(), lastModifiedMillis, origin, Map.of(),
                Map.of(), Map.of(), null, null);
    }

    /** The ETag as an HTTP header or XML element carries it: in double quotes. */
    public String quotedEtag() {
        return '"' + etag + '"';
    }

    public boolean isMultipart() {
        return !partSizes.isEmpty();
    }

    /** Whether the bytes ride in this record rather than in blob stores. */
    public boolean hasInlineBytes() {
        return inline != null;
    }
}
