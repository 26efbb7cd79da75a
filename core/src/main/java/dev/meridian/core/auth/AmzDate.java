package dev.meridian.core.auth;

import dev.meridian.core.auth.AuthFailure.Reason;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;

/** SigV4's timestamp format, ISO 8601 basic ({@code 20150830T123600Z}), and the RFC 1123 {@code Date} fallback. */
final class AmzDate {
    private static final DateTimeFormatter BASIC =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withResolverStyle(ResolverStyle.STRICT);

    private AmzDate() {}

    static Instant parse(String amzDate) throws AuthException {
        try {
            return LocalDateTime.parse(amzDate, BASIC).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new AuthException(Reason.INCOMPLETE_SIGNATURE, "Date must be in ISO-8601 'basic format'. Got '"
                    + amzDate + "'. See http://en.wikipedia.org/wiki/ISO_8601");
        }
    }

    /** Reads a {@code Date} header and returns it in the basic format the string to sign needs. */
    static String fromHttpDate(String httpDate) throws AuthException {
        try {
            return format(DateTimeFormatter.RFC_1123_DATE_TIME.parse(httpDate, Instant::from));
        } catch (DateTimeParseException e) {
            throw new AuthException(Reason.INCOMPLETE_SIGNATURE,
                    "Date must be in RFC 1123 format when X-Amz-Date is absent. Got '" + httpDate + "'");
        }
    }

    static String format(Instant instant) {
        return BASIC.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }
}
