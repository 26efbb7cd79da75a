package dev.meridian.core.auth;

import java.util.Objects;

/**
 * A verified request: who signed it, for which region and service its credential scope says, and the signature an
 * aws-chunked body's chunk signatures continue from.
 */
public record Authenticated(String accessKeyId, String region, String service, SeedSignature seed)
        implements SigV4Result {
    public Authenticated {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(seed, "seed");
    }
}
