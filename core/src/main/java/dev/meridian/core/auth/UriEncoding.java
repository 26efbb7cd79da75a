package dev.meridian.core.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** SigV4's URI encoding: every byte but the RFC 3986 unreserved characters as %XX with uppercase hex. */
final class UriEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriEncoding() {}

    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            if (isUnreserved(b)) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }

    /**
     * Percent-decodes as RFC 3986 does, leaving {@code +} as itself. A {@code %} not followed by two hex digits stays
     * literal: a client that sent it signed something we cannot reproduce anyway, so the signature will not match.
     */
    static String decode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        int literalStart = 0;
        for (int i = 0; i + 2 < value.length(); i++) {
            int high = hexValue(value.charAt(i + 1));
            int low = hexValue(value.charAt(i + 2));
            if (value.charAt(i) == '%' && high >= 0 && low >= 0) {
                bytes.writeBytes(value.substring(literalStart, i).getBytes(StandardCharsets.UTF_8));
                bytes.write(high << 4 | low);
                i += 2;
                literalStart = i + 1;
            }
        }
        bytes.writeBytes(value.substring(literalStart).getBytes(StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    // Character.digit would also accept non-ASCII digits, which are not percent-escapes.
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    private static boolean isUnreserved(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                || b == '-' || b == '_' || b == '.' || b == '~';
    }
}
