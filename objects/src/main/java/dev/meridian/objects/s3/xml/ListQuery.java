package dev.meridian.objects.s3.xml;

import java.util.Objects;

/**
 * What a listing request asked for, echoed back in its result. Empty strings stand for parameters not sent, as S3
 * treats an empty delimiter or marker as none.
 *
 * @param marker where the listing starts after: {@code marker} (ListObjects), {@code start-after} (ListObjectsV2)
 *     or {@code key-marker} (ListObjectVersions, ListMultipartUploads)
 * @param urlEncoding whether the request sent {@code encoding-type=url}: keys, prefixes, markers and the delimiter
 *     are then URL-encoded and {@code EncodingType} echoed
 */
public record ListQuery(String bucket, String prefix, String delimiter, int maxKeys, String marker,
        boolean urlEncoding) {
    public ListQuery {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(delimiter, "delimiter");
        Objects.requireNonNull(marker, "marker");
    }
}
