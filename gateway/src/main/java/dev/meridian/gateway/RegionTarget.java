package dev.meridian.gateway;

import java.net.URI;
import java.util.Objects;

/** A region the gateway sends traffic to: its name and the HTTP endpoint serving its APIs ({@code http://host:port}). */
public record RegionTarget(String name, URI endpoint) {
    public RegionTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(endpoint, "endpoint");
        if (endpoint.getHost() == null || endpoint.getPort() < 0) {
            throw new IllegalArgumentException("region " + name + ": endpoint needs a host and a port, e.g. "
                    + "http://127.0.0.1:8101, not " + endpoint);
        }
    }

    public String host() {
        return endpoint.getHost();
    }

    public int port() {
        return endpoint.getPort();
    }
}
