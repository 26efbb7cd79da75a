package dev.meridian.core.auth;

import dev.meridian.core.auth.AuthFailure.Reason;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a presigned URL's {@code X-Amz-*} query parameters, as S3 clients send them. */
final class PresignedQuery {
    static final String ALGORITHM_PARAM = "X-Amz-Algorithm";
    static final String SIGNATURE_PARAM = "X-Amz-Signature";
    /** S3's ceiling on X-Amz-Expires: seven days. */
    static final long MAX_EXPIRES_SECONDS = 604_800;

    private PresignedQuery() {}

    static boolean isPresigned(List<QueryParam> query) {
        return query.stream().anyMatch(p -> p.name().equals(ALGORITHM_PARAM));
    }

    static SignatureParts parse(List<QueryParam> query) throws AuthException {
        Map<String, String> params = new HashMap<>();
        query.forEach(p -> params.putIfAbsent(p.name(), p.value()));
        String algorithm = params.get(ALGORITHM_PARAM);
        String credential = params.get("X-Amz-Credential");
        String signature = params.get(SIGNATURE_PARAM);
        String date = params.get("X-Amz-Date");
        String signedHeaders = params.get("X-Amz-SignedHeaders");
        String expires = params.get("X-Amz-Expires");
        if (credential == null || signature == null || date == null || signedHeaders == null || expires == null) {
            throw incomplete("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                    + "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }
        if (!algorithm.equals(AuthorizationHeader.ALGORITHM)) {
            throw incomplete("X-Amz-Algorithm only supports \"" + AuthorizationHeader.ALGORITHM + "\"");
        }
        return new SignatureParts(CredentialScope.parse(credential), date, AmzDate.parse(date),
                SignedHeaders.parse(signedHeaders), signature, expiresSeconds(expires));
    }

    private static long expiresSeconds(String expires) throws AuthException {
        long seconds;
        try {
            seconds = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw incomplete("X-Amz-Expires should be a number");
        }
        if (seconds < 0) {
            throw incomplete("X-Amz-Expires must be non-negative");
        }
        if (seconds > MAX_EXPIRES_SECONDS) {
            throw incomplete("X-Amz-Expires must be less than a week (in seconds) that is " + MAX_EXPIRES_SECONDS);
        }
        return seconds;
    }

    private static AuthException incomplete(String message) {
        return new AuthException(Reason.INCOMPLETE_SIGNATURE, message);
    }
}
