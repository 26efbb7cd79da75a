package dev.meridian.objects.s3;

import dev.meridian.objects.ObjectVersion;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The conditional headers of a read (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since) evaluated as
 * RFC 9110 orders them and S3 applies them: an entity-tag condition, when present, overrides its date twin.
 */
final class Preconditions {
    /** What the conditions decided. */
    enum Outcome { PROCEED, NOT_MODIFIED }

    private Preconditions() {}

    /**
     * @param prefix the header prefix: {@code "if-"} for a GET or HEAD, {@code "x-amz-copy-source-if-"} for a copy
     * @throws S3Exception PreconditionFailed (412) when If-Match or If-Unmodified-Since does not hold
     */
    static Outcome evaluate(S3Request request, String prefix, ObjectVersion object) {
        Optional<String> ifMatch = request.header(prefix + "match");
        Optional<String> ifNoneMatch = request.header(prefix + "none-match");
        long modifiedSeconds = object.lastModifiedMillis() / 1000;
        if (ifMatch.isPresent()) {
            if (!matches(ifMatch.get(), object.etag())) {
                throw failed("If-Match");
            }
        } else {
            Optional<Long> since = date(request.header(prefix + "unmodified-since"));
            if (since.isPresent() && modifiedSeconds > since.get()) {
                throw failed("If-Unmodified-Since");
            }
        }
        if (ifNoneMatch.isPresent()) {
            return matches(ifNoneMatch.get(), object.etag()) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
        }
        Optional<Long> since = date(request.header(prefix + "modified-since"));
        return since.isPresent() && modifiedSeconds <= since.get() ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
    }

    /** Whether an If-Match / If-None-Match list ({@code *}, or quoted or bare ETags) names {@code etag}. */
    static boolean matches(String header, String etag) {
        return Arrays.stream(header.split(","))
                .map(String::trim)
                .map(t -> t.startsWith("W/") ? t.substring(2) : t)
                .map(t -> t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t)
                .anyMatch(t -> t.equals("*") || t.equals(etag));
    }

    private static S3Exception failed(String condition) {
        return new S3Exception(S3Error.PRECONDITION_FAILED).with("Condition", condition);
    }

    /** An HTTP date in epoch seconds; an unparseable date is ignored, as HTTP says. */
    private static Optional<Long> date(Optional<String> header) {
        return header.flatMap(value -> {
            try {
                return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toEpochSecond());
            } catch (DateTimeParseException e) {
                try {
                    return Optional.of(Instant.parse(value.trim()).getEpochSecond());
                } catch (DateTimeParseException notIso) {
                    return Optional.empty();
                }
            }
        });
    }
}
