package dev.meridian.gateway;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.core.ConfigException;
import dev.meridian.core.ConfigYaml;
import dev.meridian.gateway.cache.CacheSettings;
import dev.meridian.gateway.dns.DnsSettings;
import dev.meridian.gateway.health.HealthSettings;
import dev.meridian.gateway.routing.RoutingSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's config file ({@code meridian gateway --config FILE}), YAML; every section but {@code port} and
 * {@code regions} may be left out for its defaults.
 *
 * <pre>
 * port: 8108                      # plain HTTP: HTTP/1.1 and HTTP/2 (h2c)
 * https: {port: 8443, certificate: cert.pem, privateKey: key.pem}   # or selfSigned: true
 * regions:
 *   - {name: us-east-1, endpoint: http://127.0.0.1:8101}
 * health: {path: /health, interval: 500ms, timeout: 1s, failureThreshold: 2, successThreshold: 2, drainIsolated: true}
 * routing: {pinHeader: x-meridian-region, pinnedRegion: eu-west-1, affinityIdle: 30m}
 * dns: {zone: meridian.internal., bindAddress: 127.0.0.1, port: 8109, ttl: 5s}     # off unless given
 * cache: {directory: /var/cache/meridian, memoryMiB: 256, diskMiB: 4096, maxObjectMiB: 1024, maxStale: 24h}  # same</pre>
 * </pre>
 */
public record GatewayConfig(
        @JsonProperty(required = true) Integer port,
        Https https,
        @JsonProperty(required = true) List<Region> regions,
        Health health,
        Routing routing,
        Dns dns,
        Cache cache) {

    public GatewayConfig {
        regions = regions == null ? List.of() : List.copyOf(regions);
    }

    /** A gateway on {@code port} in front of {@code regions}, every other setting at its default. */
    public static GatewayConfig of(int port, List<RegionTarget> regions) {
        return new GatewayConfig(port, null,
                regions.stream().map(r -> new Region(r.name(), r.endpoint().toString())).toList(), null, null, null,
                null)
                .validate();
    }

    public static GatewayConfig load(Path file) {
        return ConfigYaml.read(file, GatewayConfig.class).validate();
    }

    public static GatewayConfig parse(String yaml) {
        return ConfigYaml.parse(yaml, GatewayConfig.class).validate();
    }

    public String toYaml() {
        return ConfigYaml.write(this);
    }

    GatewayConfig validate() {
        if (port < 0 || port > 65535) {
            throw new ConfigException("port: " + port + " is not a port number (0 picks a free one)");
        }
        if (regions.isEmpty()) {
            throw new ConfigException("regions: name at least one region, e.g. {name: us-east-1, endpoint: "
                    + "http://127.0.0.1:8101}");
        }
        Set<String> names = new HashSet<>();
        for (Region region : regions) {
            if (!names.add(region.name())) {
                throw new ConfigException("regions: '" + region.name() + "' is listed twice");
            }
        }
        try {
            targets();
            healthSettings();
            routingSettings();
            dnsSettings();
            cacheSettings();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        return this;
    }

    public List<RegionTarget> targets() {
        return regions.stream().map(r -> new RegionTarget(r.name(), URI.create(r.endpoint()))).toList();
    }

    public HealthSettings healthSettings() {
        HealthSettings defaults = HealthSettings.defaults();
        if (health == null) {
            return defaults;
        }
        return new HealthSettings(
                Optional.ofNullable(health.path()).orElse(defaults.path()),
                Optional.ofNullable(health.interval()).orElse(defaults.interval()),
                Optional.ofNullable(health.timeout()).orElse(defaults.timeout()),
                Optional.ofNullable(health.failureThreshold()).orElse(defaults.failureThreshold()),
                Optional.ofNullable(health.successThreshold()).orElse(defaults.successThreshold()),
                Optional.ofNullable(health.drainIsolated()).orElse(defaults.drainIsolated()));
    }

    public RoutingSettings routingSettings() {
        RoutingSettings defaults = RoutingSettings.defaults();
        if (routing == null) {
            return defaults;
        }
        Optional<String> pinned = Optional.ofNullable(routing.pinnedRegion());
        pinned.ifPresent(name -> {
            if (regions.stream().noneMatch(r -> r.name().equals(name))) {
                throw new IllegalArgumentException("routing.pinnedRegion: no region named '" + name + "'");
            }
        });
        return new RoutingSettings(
                Optional.ofNullable(routing.pinHeader()).orElse(defaults.pinHeader()),
                pinned,
                Optional.ofNullable(routing.affinityIdle()).orElse(defaults.affinityIdle()),
                defaults.affinityClients());
    }

    /** The DNS responder's settings, when the config asks for one. */
    public Optional<DnsSettings> dnsSettings() {
        if (dns == null) {
            return Optional.empty();
        }
        if (dns.zone() == null || dns.port() == null) {
            throw new IllegalArgumentException("dns: give at least zone and port, e.g. {zone: meridian.internal., "
                    + "port: 8109}");
        }
        return Optional.of(new DnsSettings(dns.zone(), Optional.ofNullable(dns.bindAddress()).orElse("127.0.0.1"),
                dns.port(), Optional.ofNullable(dns.ttl()).orElse(DnsSettings.DEFAULT_TTL)));
    }

    /** A copy answering DNS for {@code zone} on {@code port} (0: a free one). */
    public GatewayConfig withDns(String zone, int port) {
        return new GatewayConfig(this.port, https, regions, health, routing, new Dns(zone, null, port, null), cache)
                .validate();
    }

    /** A copy with the edge cache on, its files in {@code directory}, other settings at their defaults. */
    public GatewayConfig withCache(Path directory) {
        return new GatewayConfig(port, https, regions, health, routing, dns,
                new Cache(directory, null, null, null, null)).validate();
    }

    /** The edge cache's settings, when the config turns it on. */
    public Optional<CacheSettings> cacheSettings() {
        if (cache == null) {
            return Optional.empty();
        }
        if (cache.directory() == null) {
            throw new IllegalArgumentException("cache.directory: say where the cache keeps bodies on disk");
        }
        CacheSettings defaults = CacheSettings.defaults(cache.directory());
        return Optional.of(new CacheSettings(
                mib(cache.memoryMiB(), defaults.memoryBytes()),
                mib(cache.diskMiB(), defaults.diskBytes()),
                cache.directory(),
                mib(cache.maxObjectMiB(), defaults.maxObjectBytes()),
                Optional.ofNullable(cache.maxStale()).orElse(defaults.maxStale())));
    }

    private static long mib(Long mib, long otherwise) {
        return mib == null ? otherwise : mib * 1024 * 1024;
    }

    public Optional<Https> httpsSettings() {
        return Optional.ofNullable(https);
    }

    /** A region behind the gateway. */
    public record Region(@JsonProperty(required = true) String name, @JsonProperty(required = true) String endpoint) {}

    /** TLS on a second port: a PEM certificate chain and key, or a self-signed certificate for trying it out. */
    public record Https(@JsonProperty(required = true) Integer port, Path certificate, Path privateKey,
            Boolean selfSigned) {
        public boolean isSelfSigned() {
            return Boolean.TRUE.equals(selfSigned);
        }
    }

    /** See {@link HealthSettings}; absent fields take its defaults. */
    public record Health(String path, Duration interval, Duration timeout, Integer failureThreshold,
            Integer successThreshold, Boolean drainIsolated) {}

    /** See {@link CacheSettings}; sizes in MiB, absent fields take its defaults. */
    public record Cache(Path directory, Long memoryMiB, Long diskMiB, Long maxObjectMiB, Duration maxStale) {}

    /** See {@link DnsSettings}; {@code bindAddress} defaults to 127.0.0.1 and {@code ttl} to 5 s. */
    public record Dns(String zone, String bindAddress, Integer port, Duration ttl) {}

    /** See {@link RoutingSettings}; absent fields take its defaults. */
    public record Routing(String pinHeader, String pinnedRegion, Duration affinityIdle) {}
}
