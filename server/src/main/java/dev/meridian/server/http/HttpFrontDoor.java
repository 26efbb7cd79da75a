package dev.meridian.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.metric.MetricCollectingService;
import dev.meridian.core.RegionConfig;
import dev.meridian.core.auth.SigV2PresignedUrl;
import dev.meridian.core.auth.SigV4Verifier;
import dev.meridian.fabric.Fabric;
import dev.meridian.objects.ObjectStore;
import dev.meridian.objects.replication.ObjectReplication;
import dev.meridian.objects.s3.S3Service;
import dev.meridian.sql.SqlRegion;
import dev.meridian.tables.TablesService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The region's HTTP port: every AWS-compatible API (dispatched as AWS does: by {@code X-Amz-Target}, else S3), plus
 * {@code /health}, {@code /metrics} and the admin API under {@code /_meridian/}.
 */
public final class HttpFrontDoor implements AutoCloseable {
    /** The admin API's bodies are small; the AWS APIs' route sets its own bounds. */
    private static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024 + 64 * 1024;
    /**
     * How long an idle keep-alive connection stays open: longer than the AWS SDKs keep one in their pools (60 s), so
     * the client always closes first. With Armeria's default of 15 s a client could send a request on a connection
     * the server was closing at that moment, and get a connection reset for it.
     */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(75);
    /**
     * The largest piece an HTTP/1 body is handed on in: Armeria's default of 8 KiB cuts a 1 MiB PutObject into 128
     * pieces, each passed from the event loop to the thread that hashes and writes it.
     */
    private static final int HTTP1_MAX_CHUNK_BYTES = 64 * 1024;

    private final Server server;

    private HttpFrontDoor(Server server) {
        this.server = server;
    }

    public static HttpFrontDoor start(RegionConfig config, Fabric fabric, TablesService tables, ObjectStore objects,
            ObjectReplication objectReplication, Optional<SqlRegion> sql, PrometheusMeterRegistry meters, Clock clock) {
        ObjectMapper json = new ObjectMapper();
        var verifier = new SigV4Verifier(AccessKeys.of(config), clock);
        var dynamo = new DynamoDbService(tables, json)
                .decorate(delegate -> new SigV4Authenticator(delegate, verifier, AuthFailures::dynamoDb))
                .decorate(MetricCollectingService.newDecorator(new RequestMeterIds()));
        var s3 = new S3Service(objects, objectReplication, verifier, new SigV2PresignedUrl(AccessKeys.of(config), clock),
                regions(config), clock)
                .decorate(MetricCollectingService.newDecorator(new RequestMeterIds()));
        var builder = Server.builder()
                .http(config.httpPort())
                .meterRegistry(meters)
                .maxRequestLength(MAX_REQUEST_BYTES)
                .requestTimeout(Duration.ofSeconds(60))
                .idleTimeout(IDLE_TIMEOUT)
                .http1MaxChunkSize(HTTP1_MAX_CHUNK_BYTES)
                // On stop: refuse new requests at once, give in-flight ones (already durable or not yet begun) 5 s.
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(5))
                .service("/health", new HealthService(config.region(), fabric, json))
                .service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
                        MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), meters.scrape()))
                .service("/_meridian/status", new StatusService(fabric, objectReplication, sql, json))
                .service("/_meridian/repair", new RepairService(fabric, json))
                .service("/_meridian/replication-delay", new ReplicationDelayService(fabric.replicationDelays(), json))
                .service("/_meridian/objects/replication-delay",
                        new ReplicationDelayService(objectReplication.delays(), json));
        sql.ifPresent(region -> builder.service("/_meridian/sql/switchover", new SwitchoverService(region, json)));
        var readThrough = new ReadThrough(config.region(), config.peers().stream()
                .collect(java.util.stream.Collectors.toMap(RegionConfig.Peer::name, RegionConfig.Peer::address)));
        // No bound on the route: Armeria refuses a Content-Length over it before any service runs, and a single S3
        // PutObject may be 5 GiB. S3 checks its own limits per operation; DynamoDB's 16 MB is set per request.
        builder.route().pathPrefix("/").maxRequestLength(0)
                .build(new ConsistencyGate(new AwsRouter(dynamo, s3), fabric, config.consistency(), readThrough));
        Server server = builder.build();
        server.start().join();
        return new HttpFrontDoor(server);
    }

    private static Set<String> regions(RegionConfig config) {
        Set<String> regions = new TreeSet<>();
        regions.add(config.region());
        config.peers().forEach(peer -> regions.add(peer.name()));
        return regions;
    }

    public int port() {
        return server.activeLocalPort();
    }

    @Override
    public void close() {
        server.stop().join();
    }
}
