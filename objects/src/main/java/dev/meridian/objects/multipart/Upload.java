package dev.meridian.objects.multipart;

import java.util.Map;

/**
 * A multipart upload in progress. Uploads live in the region that created them until completed or aborted.
 *
 * @param headers the content headers to store with the object, by canonical name
 * @param userMetadata {@code x-amz-meta-*} headers, by lowercase name without the prefix
 * @param checksumAlgorithm the {@code x-amz-checksum-algorithm} the upload was created with; empty when none
 * @param fullObjectChecksum whether the object's checksum is over its whole bytes (S3's FULL_OBJECT type), derived
 *     from its parts' CRCs, rather than over its parts' checksums (COMPOSITE)
 */
public record Upload(String uploadId, String bucket, String key, long initiatedMillis, Map<String, String> headers,
        Map<String, String> userMetadata, String checksumAlgorithm, boolean fullObjectChecksum) {
    public Upload {
        headers = Map.copyOf(headers);
        userMetadata = Map.copyOf(userMetadata);
    }
}
