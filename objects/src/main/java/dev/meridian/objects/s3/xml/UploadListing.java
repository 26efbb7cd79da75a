package dev.meridian.objects.s3.xml;

import dev.meridian.objects.multipart.Upload;
import java.util.List;
import java.util.Objects;

/**
 * One page of ListMultipartUploads, in key order and, within a key, in initiation order.
 *
 * @param commonPrefixes the prefixes rolled up by the delimiter
 * @param nextKeyMarker where the next page starts; empty when not truncated
 * @param nextUploadIdMarker where the next page starts within {@code nextKeyMarker}; empty when not truncated
 */
public record UploadListing(List<Upload> uploads, List<String> commonPrefixes, boolean truncated,
        String nextKeyMarker, String nextUploadIdMarker) {
    public UploadListing {
        uploads = List.copyOf(uploads);
        commonPrefixes = List.copyOf(commonPrefixes);
        Objects.requireNonNull(nextKeyMarker, "nextKeyMarker");
        Objects.requireNonNull(nextUploadIdMarker, "nextUploadIdMarker");
    }
}
