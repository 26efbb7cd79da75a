package dev.meridian.objects.s3;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single byte range of an object, from a {@code Range: bytes=…} header. As S3 does, a header it cannot parse
 * (or one with several ranges) is ignored and the whole object is served; a well-formed range that starts past the
 * end is InvalidRange (416).
 */
public record ByteRange(long first, long last) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    public long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value for this range of an object of {@code size} bytes. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /** The range {@code header} asks for within an object of {@code size} bytes; empty means the whole object. */
    public static Optional<ByteRange> parse(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0) {
                    throw unsatisfiable(header, size);
                }
                return size == 0 ? Optional.empty() : Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
            if (last < first) {
                return Optional.empty();
            }
            if (first >= size) {
                throw unsatisfiable(header, size);
            }
            return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static S3Exception unsatisfiable(String header, long size) {
        return new S3Exception(S3Error.INVALID_RANGE).with("RangeRequested", header)
                .with("ActualObjectSize", Long.toString(size));
    }
}
