package dev.meridian.core.auth;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A verified request's own signature and what it was made from, which the chunk signatures of an aws-chunked body
 * continue ({@link PayloadDecoder} checks them).
 *
 * <p>The signing key can sign anything for its scope's day, region and service, as the secret could, so it never
 * leaves this package and never appears in {@link #toString()}.
 */
public final class SeedSignature {
    private final String signature;
    private final String amzDate;
    private final String scope;
    private final byte[] signingKey;

    SeedSignature(String signature, String amzDate, String scope, byte[] signingKey) {
        this.signature = Objects.requireNonNull(signature, "signature");
        this.amzDate = Objects.requireNonNull(amzDate, "amzDate");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.signingKey = signingKey.clone();
    }

    /** The request's signature, lowercase hex: the "previous signature" of the first chunk. */
    public String signature() {
        return signature;
    }

    /** The request time as signed, {@code yyyyMMdd'T'HHmmss'Z'}. */
    public String amzDate() {
        return amzDate;
    }

    /** The credential scope as signed, {@code date/region/service/aws4_request}. */
    public String scope() {
        return scope;
    }

    byte[] signingKey() {
        return signingKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeedSignature other && signature.equals(other.signature) && amzDate.equals(other.amzDate)
                && scope.equals(other.scope) && MessageDigest.isEqual(signingKey, other.signingKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(signature, amzDate, scope, Arrays.hashCode(signingKey));
    }

    @Override
    public String toString() {
        return "SeedSignature[signature=" + signature + ", amzDate=" + amzDate + ", scope=" + scope + "]";
    }
}
