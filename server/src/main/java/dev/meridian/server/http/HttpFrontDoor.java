package dev.meridian.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.metric.MetricCollectingService;
import dev.meridian.core.RegionConfig;
import dev.meridian.fabric.Fabric;
import dev.meridian.server.auth.SigV4Authenticator;
import dev.meridian.server.auth.SigV4Verifier;
import dev.meridian.sql.SqlRegion;
import dev.meridian.tables.TablesService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The region's HTTP port: every AWS-compatible API (dispatched as AWS does, by {@code X-Amz-Target}), plus
 * {@code /health}, {@code /metrics} and the admin API under {@code /_meridian/}.
 */
public final class HttpFrontDoor implements AutoCloseable {
    /** DynamoDB accepts request bodies up to 16 MB. */
    private static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024 + 64 * 1024;

    private final Server server;

    private HttpFrontDoor(Server server) {
        this.server = server;
    }

    public static HttpFrontDoor start(RegionConfig config, Fabric fabric, TablesService tables,
            Optional<SqlRegion> sql, PrometheusMeterRegistry meters, Clock clock) {
        ObjectMapper json = new ObjectMapper();
        var verifier = new SigV4Verifier(AccessKeys.of(config), clock);
        var dynamo = new DynamoDbService(tables, json)
                .decorate(delegate -> new SigV4Authenticator(delegate, verifier, AuthFailures::dynamoDb))
                .decorate(MetricCollectingService.newDecorator(new RequestMeterIds()));
        var builder = Server.builder()
                .http(config.httpPort())
                .meterRegistry(meters)
                .maxRequestLength(MAX_REQUEST_BYTES)
                .requestTimeout(Duration.ofSeconds(60))
                // On stop: refuse new requests at once, give in-flight ones (already durable or not yet begun) 5 s.
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(5))
                .service("/health", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8,
                        "{\"status\":\"UP\",\"region\":\"" + config.region() + "\"}"))
                .service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
                        MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), meters.scrape()))
                .service("/_meridian/status", new StatusService(fabric, sql, json))
                .service("/_meridian/replication-delay", new ReplicationDelayService(fabric, json));
        sql.ifPresent(region -> builder.service("/_meridian/sql/switchover", new SwitchoverService(region, json)));
        Server server = builder.serviceUnder("/", new AwsRouter(dynamo)).build();
        server.start().join();
        return new HttpFrontDoor(server);
    }

    public int port() {
        return server.activeLocalPort();
    }

    @Override
    public void close() {
        server.stop().join();
    }
}
