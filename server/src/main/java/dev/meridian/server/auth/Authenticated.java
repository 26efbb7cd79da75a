package dev.meridian.server.auth;

import java.util.Objects;

/** A verified request: who signed it, and for which region and service its credential scope says. */
public record Authenticated(String accessKeyId, String region, String service) implements SigV4Result {
    public Authenticated {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(service, "service");
    }
}
