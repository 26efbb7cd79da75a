package dev.meridian.objects;

import java.util.List;

/**
 * One page of ListObjectVersions: versions and delete markers in key order, each key's newest first.
 *
 * @param versions the versions and delete markers on this page
 * @param commonPrefixes the prefixes rolled up by the delimiter
 * @param truncated whether more follow
 * @param nextKeyMarker where the next page starts, when truncated
 * @param nextVersionIdMarker where the next page starts within {@code nextKeyMarker}, when truncated
 */
public record VersionListing(List<ObjectEntry> versions, List<String> commonPrefixes, boolean truncated,
        String nextKeyMarker, String nextVersionIdMarker) {
    public VersionListing {
        versions = List.copyOf(versions);
        commonPrefixes = List.copyOf(commonPrefixes);
    }
}
