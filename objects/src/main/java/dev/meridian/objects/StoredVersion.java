package dev.meridian.objects;

import dev.meridian.core.Version;

/**
 * An object version as this region holds it: the S3 metadata, the object key, and the fabric version that orders
 * it among the key's versions (the newest is the current one, in every region alike).
 */
public record StoredVersion(String bucket, String key, ObjectVersion object, Version order) {
    /** The fabric key of this version's slot. */
    byte[] slotKey() {
        return ObjectKeys.slot(bucket, key, object.versionId());
    }
}
