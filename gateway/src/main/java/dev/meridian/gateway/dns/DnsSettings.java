package dev.meridian.gateway.dns;

import java.time.Duration;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Which zone the gateway's DNS responder answers for, where it listens (UDP and TCP on one port; port 0 takes a free
 * one) and the TTL of every record it gives out. A zone written without its trailing dot gets one.
 */
public record DnsSettings(String zone, String bindAddress, int port, Duration ttl) {
    /**
     * Route 53 latency records usually live 60 s; resolvers keep answering with a failed region for that long, so the
     * gateway's records live 5 s and a failover reaches clients within seconds.
     */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);

    public DnsSettings {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(ttl, "ttl");
        zone = zone.endsWith(".") ? zone : zone + ".";
        parseZone(zone);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("dns port must be 0 (any free port) to 65535, not " + port);
        }
        // A TTL is a whole number of seconds, at most 2^31 - 1 (RFC 2181, section 8).
        if (ttl.isNegative() || ttl.getNano() != 0 || ttl.getSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("dns ttl must be whole seconds from 0 to 2^31 - 1, not " + ttl);
        }
    }

    public DnsSettings(String zone, String bindAddress, int port) {
        this(zone, bindAddress, port, DEFAULT_TTL);
    }

    Name apex() {
        return parseZone(zone);
    }

    private static Name parseZone(String zone) {
        try {
            Name apex = Name.fromString(zone);
            if (apex.equals(Name.root)) {
                throw new IllegalArgumentException("dns zone must be a domain such as meridian.local., not the root");
            }
            return apex;
        } catch (TextParseException e) {
            throw new IllegalArgumentException("dns zone " + zone + " is not a domain name: " + e.getMessage(), e);
        }
    }
}
