package dev.meridian.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meridian.testkit.LocalCluster;
import dev.meridian.testkit.WanLink;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos and discovery API of {@code meridian local}, on 127.0.0.1 only:
 * {@code GET /regions}, {@code GET /links}, and {@code POST /links/{a}/{b}/cut|heal|blackhole|delay?ms=N}, which act
 * on both directions between regions a and b. Served by the JDK's HTTP server on its single dispatcher thread.
 */
final class ControlServer {
    static final String DEFAULT_PORT = "8100";
    static final String DEFAULT_URL = "http://127.0.0.1:" + DEFAULT_PORT;
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private LocalCluster cluster;

    private ControlServer(HttpServer server) {
        this.server = server;
    }

    /** Takes the port now, so a clash is reported before any region starts. */
    static ControlServer bind(int port) throws IOException {
        return new ControlServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0));
    }

    int port() {
        return server.getAddress().getPort();
    }

    void start(LocalCluster started) {
        this.cluster = started;
        server.createContext("/", this::handle);
        server.start();
    }

    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Answer answer;
            try {
                answer = route(exchange.getRequestMethod(), exchange.getRequestURI());
            } catch (IllegalArgumentException e) {
                answer = new Answer(400, Map.of("error", e.getMessage()));
            } catch (RuntimeException e) {
                log.warn("control request failed uri={} cause={}", exchange.getRequestURI(), e.toString());
                answer = new Answer(500, Map.of("error", e.toString()));
            }
            byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private record Answer(int status, Object body) {}

    private Answer route(String method, URI uri) {
        List<String> path = List.of(uri.getPath().replaceAll("^/+|/+$", "").split("/+"));
        if (path.equals(List.of("regions")) || path.equals(List.of("links"))) {
            if (!method.equals("GET")) {
                return new Answer(405, Map.of("error", "use GET " + uri.getPath()));
            }
            return new Answer(200, path.get(0).equals("regions") ? regions() : links(cluster.wan().links()));
        }
        if (path.size() == 4 && path.get(0).equals("links")) {
            if (!method.equals("POST")) {
                return new Answer(405, Map.of("error", "use POST " + uri.getPath()));
            }
            return linkAction(path.get(1), path.get(2), path.get(3), query(uri, "ms"));
        }
        return new Answer(404, Map.of("error", "no such control resource " + uri.getPath()
                + "; try GET /regions, GET /links, POST /links/{a}/{b}/cut|heal|blackhole|delay?ms=N"));
    }

    private Answer linkAction(String a, String b, String action, Optional<String> ms) {
        for (String region : List.of(a, b)) {
            if (!cluster.regions().contains(region)) {
                return new Answer(404, Map.of("error", "no region '" + region + "'; regions are " + cluster.regions()));
            }
        }
        if (a.equals(b)) {
            throw new IllegalArgumentException("a region has no WAN link to itself; name two different regions");
        }
        switch (action) {
            case "cut" -> cluster.wan().cut(a, b);
            case "heal" -> cluster.wan().heal(a, b);
            case "blackhole" -> cluster.wan().blackhole(a, b);
            case "delay" -> cluster.wan().delay(a, b, Duration.ofMillis(millis(ms)));
            default -> throw new IllegalArgumentException(
                    "unknown action '" + action + "'; use cut, heal, blackhole or delay?ms=N");
        }
        return new Answer(200, links(List.of(cluster.wan().link(a, b), cluster.wan().link(b, a))));
    }

    private static long millis(Optional<String> ms) {
        String text = ms.orElseThrow(() -> new IllegalArgumentException("delay needs ?ms=N (one-way milliseconds)"));
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ms=" + text + " is not a non-negative whole number of milliseconds");
        }
    }

    private List<Map<String, Object>> regions() {
        return cluster.regions().stream().map(region -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", region);
            entry.put("endpoint", cluster.endpoint(region).toString());
            entry.put("running", cluster.isRunning(region));
            entry.put("log", cluster.logFile(region).toString());
            return entry;
        }).toList();
    }

    private static List<Map<String, Object>> links(List<WanLink> links) {
        return links.stream().map(link -> {
            WanLink.Status status = link.status();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("from", status.from());
            entry.put("to", status.to());
            entry.put("state", status.state().name());
            entry.put("forwardDelayMs", status.forwardDelay().toMillis());
            entry.put("backwardDelayMs", status.backwardDelay().toMillis());
            entry.put("jitterMs", status.jitter().toMillis());
            entry.put("bandwidthBytesPerSecond", status.bandwidthBytesPerSecond());
            entry.put("connections", status.connections());
            entry.put("address", "127.0.0.1:" + status.address().getPort());
            entry.put("target", "127.0.0.1:" + status.target().getPort());
            return entry;
        }).toList();
    }

    private static Optional<String> query(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return Optional.of(pair.substring(name.length() + 1));
            }
        }
        return Optional.empty();
    }
}
