package dev.meridian.objects;

import java.util.List;

/**
 * One page of a bucket's current objects (ListObjects / ListObjectsV2), in UTF-8 binary key order.
 *
 * @param contents the objects on this page
 * @param commonPrefixes the prefixes rolled up by the delimiter, each once, in order
 * @param truncated whether more keys follow
 * @param lastKey the last key or common prefix on this page, where the next page starts after; null when empty
 */
public record ObjectListing(List<ObjectEntry> contents, List<String> commonPrefixes, boolean truncated,
        String lastKey) {
    public ObjectListing {
        contents = List.copyOf(contents);
        commonPrefixes = List.copyOf(commonPrefixes);
    }
}
