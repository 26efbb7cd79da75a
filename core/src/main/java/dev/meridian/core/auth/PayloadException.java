package dev.meridian.core.auth;

import java.io.IOException;

/**
 * A request body that is not what its headers and signature promise, with the S3 error code to answer it with. An
 * {@link IOException}, as it surfaces while the body's stream is read.
 */
public final class PayloadException extends IOException {
    private final String code;

    private PayloadException(String code, String message) {
        super(message);
        this.code = code;
    }

    /**
     * The S3 error code: {@code SignatureDoesNotMatch} (HTTP 403); {@code XAmzContentSHA256Mismatch},
     * {@code IncompleteBody}, {@code InvalidRequest}, {@code MalformedTrailerError}, {@code InvalidArgument} (400);
     * {@code MissingContentLength} (411).
     */
    public String code() {
        return code;
    }

    // No stack trace: refusals are routine (and cheap to provoke), not bugs.
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    static PayloadException signatureMismatch(String what) {
        return new PayloadException("SignatureDoesNotMatch", "The " + what + " signature we calculated does not "
                + "match the signature you provided. Check your key and signing method.");
    }

    static PayloadException sha256Mismatch(String claimed, String computed) {
        return new PayloadException("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does "
                + "not match what was computed. Client: " + claimed + ", computed: " + computed);
    }

    static PayloadException incompleteBody(String detail) {
        return new PayloadException("IncompleteBody", "You did not provide the number of bytes specified by the "
                + "x-amz-decoded-content-length HTTP header: " + detail);
    }

    static PayloadException malformedChunk(String detail) {
        return new PayloadException("InvalidRequest", "Malformed aws-chunked body: " + detail);
    }

    static PayloadException malformedTrailer(String detail) {
        return new PayloadException("MalformedTrailerError", "The request contained trailing data that was not "
                + "well-formed or did not conform to our published schema: " + detail);
    }

    static PayloadException invalidArgument(String message) {
        return new PayloadException("InvalidArgument", message);
    }

    static PayloadException invalidRequest(String message) {
        return new PayloadException("InvalidRequest", message);
    }

    static PayloadException missingDecodedLength() {
        return new PayloadException("MissingContentLength",
                "You must provide the x-amz-decoded-content-length HTTP header with an aws-chunked body.");
    }
}
