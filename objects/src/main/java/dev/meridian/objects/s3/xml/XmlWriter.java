package dev.meridian.objects.s3.xml;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Writes one S3 response document: elements and escaped text, in the order they are given. */
final class XmlWriter {
    static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    static final String STANDARD_STORAGE = "STANDARD";

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final StringBuilder xml = new StringBuilder(512).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private final Deque<String> open = new ArrayDeque<>();
    private final boolean urlEncodeKeys;

    private XmlWriter(String root, String namespace, boolean urlEncodeKeys) {
        this.urlEncodeKeys = urlEncodeKeys;
        xml.append('<').append(root);
        if (!namespace.isEmpty()) {
            xml.append(" xmlns=\"").append(namespace).append('"');
        }
        xml.append('>');
        open.push(root);
    }

    /** A document whose root is in the S3 namespace, as every S3 result is. */
    static XmlWriter s3(String root) {
        return new XmlWriter(root, S3_NAMESPACE, false);
    }

    /** A listing whose keys and prefixes are URL-encoded when the request asked for {@code encoding-type=url}. */
    static XmlWriter s3Listing(String root, boolean urlEncodeKeys) {
        return new XmlWriter(root, S3_NAMESPACE, urlEncodeKeys);
    }

    /** A document without a namespace: S3 writes {@code <Error>} that way. */
    static XmlWriter unqualified(String root) {
        return new XmlWriter(root, "", false);
    }

    XmlWriter start(String name) {
        return start(name, "");
    }

    /** An element with attributes, written as given (constants of the S3 schema, never user input). */
    XmlWriter start(String name, String attributes) {
        xml.append('<').append(name);
        if (!attributes.isEmpty()) {
            xml.append(' ').append(attributes);
        }
        xml.append('>');
        open.push(name);
        return this;
    }

    XmlWriter end() {
        xml.append("</").append(open.pop()).append('>');
        return this;
    }

    XmlWriter text(String name, String value) {
        xml.append('<').append(name).append('>');
        escape(value);
        xml.append("</").append(name).append('>');
        return this;
    }

    /** Text directly inside the open element: GetBucketLocation's root carries its value that way. */
    XmlWriter content(String value) {
        escape(value);
        return this;
    }

    /** Writes the element only when {@code value} is not empty: S3 leaves absent optional values out. */
    XmlWriter textIfPresent(String name, String value) {
        return value.isEmpty() ? this : text(name, value);
    }

    /** An object key, or a value made of keys (prefix, marker, delimiter): URL-encoded when the listing asks. */
    XmlWriter key(String name, String value) {
        return urlEncodeKeys ? text(name, urlEncode(value)) : text(name, value);
    }

    XmlWriter keyIfPresent(String name, String value) {
        return value.isEmpty() ? this : key(name, value);
    }

    XmlWriter number(String name, long value) {
        return text(name, Long.toString(value));
    }

    XmlWriter bool(String name, boolean value) {
        return text(name, Boolean.toString(value));
    }

    XmlWriter timestamp(String name, long epochMillis) {
        return text(name, TIMESTAMP.format(Instant.ofEpochMilli(epochMillis)));
    }

    /** An ETag as S3 writes it in XML: in double quotes. */
    XmlWriter etag(String unquoted) {
        return text("ETag", '"' + unquoted + '"');
    }

    XmlWriter owner(String element, Owner owner) {
        return start(element).text("ID", owner.id()).text("DisplayName", owner.displayName()).end();
    }

    /** One {@code Checksum<Algorithm>} element for each checksum, in the order S3 documents them. */
    XmlWriter checksums(Map<String, String> checksums) {
        for (String algorithm : Checksums.ALGORITHMS) {
            String value = checksums.get(algorithm);
            if (value != null) {
                text(Checksums.element(algorithm), value);
            }
        }
        return this;
    }

    XmlWriter commonPrefixes(List<String> prefixes) {
        for (String prefix : prefixes) {
            start("CommonPrefixes").key("Prefix", prefix).end();
        }
        return this;
    }

    byte[] toBytes() {
        while (!open.isEmpty()) {
            end();
        }
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Escapes markup characters, and writes every control character and every character XML 1.0 cannot carry as a
     * character reference. S3 does the same and refuses no key; a strict parser rejects the few references XML 1.0
     * forbids (e.g. {@code &#1;}), which is why clients list such keys with {@code encoding-type=url}.
     */
    private void escape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> xml.append("&amp;");
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '"' -> xml.append("&quot;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        xml.append(c).append(value.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c) || c == 0xFFFE || c == 0xFFFF) {
                        xml.append("&#").append((int) c).append(';');
                    } else {
                        xml.append(c);
                    }
                }
            }
        }
    }

    /** Percent-encodes all but unreserved characters and {@code /}, so both {@code +} and space survive decoding. */
    private static String urlEncode(String value) {
        StringBuilder encoded = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
                encoded.append(c);
            } else {
                encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return encoded.toString();
    }
}
