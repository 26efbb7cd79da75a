package dev.meridian.objects.s3.xml;

import java.util.Objects;
import java.util.Optional;

/**
 * One object a DeleteObjects body names.
 *
 * @param key as sent, never empty
 * @param versionId the version to delete; empty to delete the current one (or add a delete marker)
 * @param etag delete only while the current version has this ETag ({@code *}: while there is one)
 */
public record ObjectIdentifier(String key, Optional<String> versionId, Optional<String> etag) {
    public ObjectIdentifier {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(etag, "etag");
    }
}
