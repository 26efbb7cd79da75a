package dev.meridian.objects.s3.xml;

import java.util.Objects;

/**
 * One {@code Deleted} entry of a DeleteObjects result, as S3 shapes it. Empty strings are left out.
 *
 * @param versionId the version deleted, when the request named one
 * @param deleteMarker true when a delete marker was created, or the version deleted was one
 * @param deleteMarkerVersionId that delete marker's version id
 */
public record DeletedObject(String key, String versionId, boolean deleteMarker, String deleteMarkerVersionId) {
    public DeletedObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(deleteMarkerVersionId, "deleteMarkerVersionId");
    }
}
