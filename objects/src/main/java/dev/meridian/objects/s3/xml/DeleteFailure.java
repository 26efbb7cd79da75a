package dev.meridian.objects.s3.xml;

import dev.meridian.objects.s3.S3Error;
import dev.meridian.objects.s3.S3Exception;
import java.util.Objects;

/**
 * One {@code Error} entry of a DeleteObjects result: an object that could not be deleted.
 *
 * @param versionId the version the request named; empty when none
 */
public record DeleteFailure(String key, String versionId, S3Error error, String message) {
    public DeleteFailure {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
    }

    public static DeleteFailure of(ObjectIdentifier object, S3Exception failure) {
        return new DeleteFailure(object.key(), object.versionId().orElse(""), failure.error(),
                Objects.requireNonNullElse(failure.getMessage(), failure.error().defaultMessage()));
    }
}
