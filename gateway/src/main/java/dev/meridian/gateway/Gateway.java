package dev.meridian.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.meridian.gateway.cache.EdgeCache;
import dev.meridian.gateway.dns.DnsResponder;
import dev.meridian.gateway.health.HealthChecker;
import dev.meridian.gateway.proxy.CallerEventLoops;
import dev.meridian.gateway.proxy.ProxyService;
import dev.meridian.gateway.routing.Router;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global front door: one endpoint for every region's HTTP APIs, sending each client to its healthy region of
 * lowest latency, moving it when that region fails and back when it recovers. Its own pages live under
 * {@value #ADMIN} (a prefix no S3 bucket can take): {@code status}, {@code health}, {@code metrics}, and with the
 * edge cache on, {@code invalidations}. Optionally it also answers DNS for a zone, with the nearest healthy region's
 * address, for clients that route by DNS.
 */
public final class Gateway implements AutoCloseable {
    public static final String ADMIN = "/_meridian/gateway/";
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final Server server;
    private final HealthChecker health;
    private final ClientFactory clients;
    private final Optional<DnsResponder> dns;
    private final Optional<EdgeCache> cache;

    private Gateway(Server server, HealthChecker health, ClientFactory clients, Optional<DnsResponder> dns,
            Optional<EdgeCache> cache) {
        this.server = server;
        this.health = health;
        this.clients = clients;
        this.dns = dns;
        this.cache = cache;
    }

    /** Starts serving; throws {@link UncheckedIOException} when the DNS port cannot be bound. */
    public static Gateway start(GatewayConfig config) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ClientFactory clients = ClientFactory.builder()
                .connectTimeout(config.healthSettings().timeout())
                .meterRegistry(meters)
                .eventLoopSchedulerFactory(CallerEventLoops::new)
                .build();
        HealthChecker health = new HealthChecker(config.targets(), config.healthSettings(), clients, meters);
        health.start();
        var proxy = new ProxyService(new Router(health, config.routingSettings()), health, clients, meters);
        Optional<EdgeCache> cache = config.cacheSettings().map(settings -> new EdgeCache(settings, meters));
        ObjectMapper json = new ObjectMapper();
        StatusPage statusPage = new StatusPage(health, meters);
        ServerBuilder builder = Server.builder()
                .http(config.port())
                .meterRegistry(meters)
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(5))
                .service(ADMIN + "status", (ctx, req) -> json(json, statusPage.read()))
                .service(ADMIN + "health", (ctx, req) -> health.ranked().isEmpty()
                        ? HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.JSON_UTF_8,
                                "{\"status\":\"DOWN\",\"regionsIn\":0}")
                        : HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8,
                                "{\"status\":\"UP\",\"regionsIn\":" + health.ranked().size() + "}"))
                .service(ADMIN + "metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
                        MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), meters.scrape()));
        config.httpsSettings().ifPresent(https -> {
            builder.https(https.port());
            if (https.isSelfSigned()) {
                builder.tlsSelfSigned();
            } else {
                builder.tls(https.certificate().toFile(), https.privateKey().toFile());
            }
        });
        cache.ifPresent(edge -> builder.service(ADMIN + "invalidations", edge.invalidationService()));
        // Bodies stream through unbounded and untimed: the regions bound their own requests.
        HttpService front = cache.isPresent() ? cache.get().decorate(proxy) : proxy;
        builder.route().pathPrefix("/").requestTimeout(Duration.ZERO).maxRequestLength(0).build(front);
        Server server = builder.build();
        server.start().join();
        Optional<DnsResponder> dns;
        try {
            dns = config.dnsSettings().isEmpty() ? Optional.empty()
                    : Optional.of(DnsResponder.start(config.dnsSettings().get(), health));
        } catch (IOException e) {
            server.stop().join();
            cache.ifPresent(EdgeCache::close);
            health.close();
            clients.close();
            throw new UncheckedIOException("the gateway's DNS port could not be opened: " + e.getMessage(), e);
        }
        log.info("event=gateway_started port={} regions={} taking_traffic={}", server.activeLocalPort(),
                config.targets().stream().map(RegionTarget::name).toList(),
                health.ranked().stream().map(RegionTarget::name).toList());
        return new Gateway(server, health, clients, dns, cache);
    }

    /** The plain-HTTP port (useful when the config asked for port 0). */
    public int port() {
        return server.activePorts().values().stream()
                .filter(p -> !p.hasHttps()).findFirst().orElseThrow().localAddress().getPort();
    }

    public Optional<Integer> httpsPort() {
        return server.activePorts().values().stream()
                .filter(p -> p.hasHttps()).findFirst().map(p -> p.localAddress().getPort());
    }

    /** The DNS responder's port (UDP and TCP), when one runs. */
    public Optional<Integer> dnsPort() {
        return dns.map(DnsResponder::port);
    }

    public RegionDirectory regions() {
        return health;
    }

    private static HttpResponse json(ObjectMapper json, Object value) throws JsonProcessingException {
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, json.writeValueAsString(value));
    }

    @Override
    public void close() {
        dns.ifPresent(DnsResponder::close);
        server.stop().join();
        cache.ifPresent(EdgeCache::close);
        health.close();
        clients.close();
    }
}
