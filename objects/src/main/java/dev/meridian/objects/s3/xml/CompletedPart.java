package dev.meridian.objects.s3.xml;

import java.util.Map;
import java.util.Objects;

/**
 * One part named in a CompleteMultipartUpload body.
 *
 * @param partNumber as sent; its range and order are the caller's to check (InvalidPart, InvalidPartOrder)
 * @param etag as sent: clients send it quoted or not
 * @param checksums the part's additional checksums by algorithm ({@code CRC32}, {@code SHA256}, …), as sent
 */
public record CompletedPart(int partNumber, String etag, Map<String, String> checksums) {
    public CompletedPart {
        Objects.requireNonNull(etag, "etag");
        checksums = Map.copyOf(checksums);
    }

    /** The ETag without the double quotes clients may send it in, to compare with {@code Part.etag()}. */
    public String unquotedEtag() {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1)
                : etag;
    }
}
