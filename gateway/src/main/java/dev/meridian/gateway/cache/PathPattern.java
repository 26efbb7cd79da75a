package dev.meridian.gateway.cache;

/**
 * An invalidation path as CloudFront takes them: {@code /a/b.png} names one object (with any query string),
 * a trailing {@code *} makes the rest a prefix ({@code /images/*}, {@code /*} for everything).
 */
record PathPattern(String pattern) {
    PathPattern {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("invalidation path must start with '/': " + pattern);
        }
        if (pattern.indexOf('*') >= 0 && pattern.indexOf('*') != pattern.length() - 1) {
            throw new IllegalArgumentException("'*' may only end an invalidation path: " + pattern);
        }
    }

    boolean matches(String path) {
        return pattern.endsWith("*") ? path.startsWith(pattern.substring(0, pattern.length() - 1)) : path.equals(pattern);
    }
}
