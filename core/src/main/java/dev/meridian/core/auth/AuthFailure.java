package dev.meridian.core.auth;

import java.util.Objects;

/** Why a request was refused, with the message AWS's JSON-protocol services send for it. */
public record AuthFailure(Reason reason, String message) implements SigV4Result {
    public AuthFailure {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    /** The kinds of refusal; each names the error a JSON-protocol AWS API (DynamoDB) answers with. */
    public enum Reason {
        /** Neither an Authorization header nor presigned query parameters: {@code MissingAuthenticationTokenException}. */
        MISSING_AUTHENTICATION,
        /** A malformed Authorization header, presigned query or credential scope: {@code IncompleteSignatureException}. */
        INCOMPLETE_SIGNATURE,
        /** The access key id is not configured: {@code UnrecognizedClientException}. */
        UNKNOWN_ACCESS_KEY,
        /** The signature (or the scope's date) does not match the request: {@code InvalidSignatureException}. */
        SIGNATURE_MISMATCH,
        /** Signed too far from now, or a presigned URL past its expiry: {@code InvalidSignatureException}. */
        EXPIRED
    }
}
