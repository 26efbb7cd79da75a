package dev.meridian.core.auth;

import java.util.regex.Pattern;

/** The values S3's {@code x-amz-content-sha256} header takes; each says how the body is framed and what signs it. */
enum PayloadForm {
    /** The hex SHA-256 of the whole body, which the request signature covers. */
    SHA256(null, false, false),
    /** The body as is, covered by nothing. */
    UNSIGNED("UNSIGNED-PAYLOAD", false, false),
    /** aws-chunked, each chunk signed. */
    SIGNED_CHUNKS("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", true, false),
    /** aws-chunked, each chunk signed, then trailing headers with their own signature. */
    SIGNED_CHUNKS_WITH_TRAILER("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", true, true),
    /** aws-chunked without signatures, then trailing headers (in practice a checksum the S3 layer checks). */
    UNSIGNED_CHUNKS_WITH_TRAILER("STREAMING-UNSIGNED-PAYLOAD-TRAILER", false, true);

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final String literal;
    private final boolean signedChunks;
    private final boolean trailer;

    PayloadForm(String literal, boolean signedChunks, boolean trailer) {
        this.literal = literal;
        this.signedChunks = signedChunks;
        this.trailer = trailer;
    }

    static PayloadForm of(String contentSha256) throws PayloadException {
        for (PayloadForm form : values()) {
            if (contentSha256.equals(form.literal)) {
                return form;
            }
        }
        if (HEX_SHA256.matcher(contentSha256).matches()) {
            return SHA256;
        }
        throw PayloadException.invalidArgument("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
                + "STREAMING-UNSIGNED-PAYLOAD-TRAILER or a valid sha256 value.");
    }

    boolean chunked() {
        return signedChunks || trailer;
    }

    boolean signedChunks() {
        return signedChunks;
    }

    boolean trailer() {
        return trailer;
    }
}
