package dev.meridian.gateway.cache;

import java.util.Locale;

/** What a {@code Range} header asks of a stored body (RFC 9110 §14.2): all of it, one part, or nothing it has. */
sealed interface RangeAnswer permits RangeAnswer.Whole, RangeAnswer.Part, RangeAnswer.Unsatisfiable {
    /** Serve the whole body with a 200: no range, a malformed one, or several (which a server may answer whole). */
    record Whole() implements RangeAnswer {}

    /** Serve bytes {@code first} to {@code last}, inclusive, with a 206. */
    record Part(long first, long last) implements RangeAnswer {
        long length() {
            return last - first + 1;
        }
    }

    /** Answer 416: the range starts beyond the body. */
    record Unsatisfiable() implements RangeAnswer {}

    static RangeAnswer of(String range, long bodyLength) {
        String header = range.trim();
        if (!header.toLowerCase(Locale.ROOT).startsWith("bytes=") || header.indexOf(',') >= 0) {
            return new Whole();
        }
        String spec = header.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        if (!isNumber(first) && !first.isEmpty() || !isNumber(last) && !last.isEmpty() || first.isEmpty() && last.isEmpty()) {
            return new Whole();
        }
        if (first.isEmpty()) {
            // A suffix: the last n bytes.
            long suffix = parse(last);
            if (suffix == 0 || bodyLength == 0) {
                return new Unsatisfiable();
            }
            return new Part(Math.max(0, bodyLength - suffix), bodyLength - 1);
        }
        long from = parse(first);
        long to = last.isEmpty() ? Long.MAX_VALUE : parse(last);
        if (to < from) {
            return new Whole();
        }
        if (from >= bodyLength) {
            return new Unsatisfiable();
        }
        return new Part(from, Math.min(to, bodyLength - 1));
    }

    private static boolean isNumber(String value) {
        return !value.isEmpty() && value.chars().allMatch(Character::isDigit);
    }

    private static long parse(String digits) {
        // Longer than any body could be: clamp rather than overflow.
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }
}
