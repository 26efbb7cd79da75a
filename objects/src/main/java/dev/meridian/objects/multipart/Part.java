package dev.meridian.objects.multipart;

import java.util.Map;

/**
 * One uploaded part of a multipart upload.
 *
 * @param etag the part's hex MD5, unquoted
 * @param checksums additional checksums of the part, by algorithm, base64
 */
public record Part(int number, long size, String etag, long lastModifiedMillis, Map<String, String> checksums) {
    public Part {
        checksums = Map.copyOf(checksums);
    }
}
