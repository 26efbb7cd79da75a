package dev.meridian.objects.s3.xml;

import java.util.Objects;

/** The account S3 documents name as a bucket's, object's or upload's {@code Owner} (and {@code Initiator}). */
public record Owner(String id, String displayName) {
    public Owner {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
    }
}
