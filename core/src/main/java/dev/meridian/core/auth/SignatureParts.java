package dev.meridian.core.auth;

import java.time.Instant;
import java.util.List;

/**
 * What a request claims about its own signature, read from the Authorization header or the presigned query.
 *
 * @param amzDate the request time as the string to sign carries it ({@code yyyyMMdd'T'HHmmss'Z'})
 * @param time the same instant, for clock checks
 * @param signedHeaders lowercase header names in the order signed
 * @param expiresSeconds how long a presigned URL stays valid; zero for the header form
 */
record SignatureParts(CredentialScope credential, String amzDate, Instant time, List<String> signedHeaders,
        String signature, long expiresSeconds) {
    SignatureParts {
        signedHeaders = List.copyOf(signedHeaders);
    }
}
