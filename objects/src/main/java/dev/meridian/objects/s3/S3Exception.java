package dev.meridian.objects.s3;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request S3 would refuse: the error, its message, and the extra elements S3 adds to the error document
 * (e.g. {@code BucketName}, {@code Key}, {@code ArgumentName}).
 */
public final class S3Exception extends RuntimeException {
    private final S3Error error;
    private final Map<String, String> details = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public S3Exception(S3Error error) {
        this(error, error.defaultMessage());
    }

    public S3Exception(S3Error error, String message) {
        super(message, null, false, false);
        this.error = Objects.requireNonNull(error, "error");
    }

    /** Adds an element to the error document, e.g. {@code with("BucketName", bucket)}. */
    public S3Exception with(String element, String value) {
        if (value != null) {
            details.put(element, value);
        }
        return this;
    }

    /** Adds a response header S3 sends with this error, e.g. {@code x-amz-delete-marker: true}. */
    public S3Exception withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public S3Error error() {
        return error;
    }

    public Map<String, String> details() {
        return Collections.unmodifiableMap(details);
    }

    public Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }
}
