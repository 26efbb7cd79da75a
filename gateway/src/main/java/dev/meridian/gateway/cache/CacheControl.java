package dev.meridian.gateway.cache;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpHeaders;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The directives of a {@code Cache-Control} header (RFC 9111 §5.2), request or response side.
 * Armeria's own parser knows no {@code stale-if-error}, hence this one.
 *
 * @param directives lower-case directive name to its argument ("" when it has none)
 */
record CacheControl(Map<String, String> directives) {
    static CacheControl of(HttpHeaders headers) {
        Map<String, String> directives = new HashMap<>();
        for (String header : headers.getAll(HttpHeaderNames.CACHE_CONTROL)) {
            for (String directive : header.split(",")) {
                int equals = directive.indexOf('=');
                String name = (equals < 0 ? directive : directive.substring(0, equals)).trim().toLowerCase(Locale.ROOT);
                String argument = equals < 0 ? "" : unquote(directive.substring(equals + 1).trim());
                if (!name.isEmpty()) {
                    directives.putIfAbsent(name, argument);
                }
            }
        }
        // HTTP/1.0 clients ask for revalidation with Pragma when they send no Cache-Control (RFC 9111 §5.4).
        if (directives.isEmpty() && headers.contains(HttpHeaderNames.PRAGMA)
                && headers.get(HttpHeaderNames.PRAGMA, "").toLowerCase(Locale.ROOT).contains("no-cache")) {
            directives.put("no-cache", "");
        }
        return new CacheControl(Map.copyOf(directives));
    }

    boolean has(String directive) {
        return directives.containsKey(directive);
    }

    /** A delta-seconds argument; empty when the directive is missing or its argument is not a number. */
    OptionalLong seconds(String directive) {
        String argument = directives.get(directive);
        if (argument == null || argument.isEmpty() || !argument.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        // Overlong values mean "a very long time" (RFC 9111 §1.2.2).
        return OptionalLong.of(argument.length() > 10 ? Integer.MAX_VALUE : Math.min(Long.parseLong(argument), Integer.MAX_VALUE));
    }

    private static String unquote(String argument) {
        return argument.length() >= 2 && argument.startsWith("\"") && argument.endsWith("\"")
                ? argument.substring(1, argument.length() - 1) : argument;
    }
}
