package dev.meridian.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A region that passes its health checks but answers everything else with {@code reply}: bytes that are not a
 * valid HTTP response, or a response cut short. Written on a bare socket, since no HTTP server would send them.
 */
final class BrokenRegion implements AutoCloseable {
    private static final String HEALTH_BODY = "{\"status\":\"UP\",\"peers\":{\"peer\":\"connected\"}}";
    private static final String HEALTHY = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + HEALTH_BODY.length() + "\r\n\r\n" + HEALTH_BODY;

    final String name;
    final AtomicInteger requests = new AtomicInteger();
    private final String reply;
    private final ServerSocket socket;
    private final ExecutorService connections = Executors.newCachedThreadPool();

    BrokenRegion(String name, String reply) {
        this.name = name;
        this.reply = reply;
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        connections.submit(this::acceptAll);
    }

    RegionTarget target() {
        return new RegionTarget(name, URI.create("http://127.0.0.1:" + socket.getLocalPort()));
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.submit(() -> serve(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Answers health probes for as long as the client keeps the connection; the first other request ends it. */
    private void serve(Socket connection) {
        try (connection) {
            var in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = connection.getOutputStream();
            for (String requestLine = in.readLine(); requestLine != null; requestLine = in.readLine()) {
                for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                    // Only bodiless requests reach this region in the tests, so the headers end the request.
                }
                if (requestLine.startsWith("PRI ")) {
                    return; // An HTTP/2 preface: refused as an HTTP/1-only server would, so the client falls back.
                }
                if (requestLine.startsWith("GET /health ")) {
                    out.write(HEALTHY.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue;
                }
                requests.incrementAndGet();
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return;
            }
        } catch (IOException dropped) {
            // The gateway closed its end; nothing to answer.
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        connections.shutdownNow();
    }
}
