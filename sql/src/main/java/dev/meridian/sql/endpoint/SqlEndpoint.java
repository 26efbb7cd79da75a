package dev.meridian.sql.endpoint;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A region's PostgreSQL-protocol endpoint: what psql, pgjdbc and ORMs connect to. Each client connection is a
 * {@link Session} on a thread of its own (blocking I/O keeps the relay simple, and a session's work is a
 * round trip to a server). Clients authenticate with SCRAM-SHA-256 against the configured users; the endpoint then
 * opens its own connections to PostgreSQL as the same user.
 */
public final class SqlEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SqlEndpoint.class);

    private final EndpointSettings settings;
    private final ServerRoutes routes;
    private final ScramVerifier verifier;
    private final WalWatch walWatch;
    private final ServerSocket listener;
    private final ExecutorService sessions = Executors.newCachedThreadPool(runnable -> {
        var thread = new Thread(runnable, "sql-session");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Integer, Session> bySessionId = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private final Thread acceptor;
    private volatile boolean closed;

    private SqlEndpoint(EndpointSettings settings, ServerRoutes routes, ServerSocket listener) {
        this.settings = settings;
        this.routes = routes;
        this.verifier = new ScramVerifier(settings.users());
        this.walWatch = new WalWatch(
                () -> url(routes.local().orElseThrow(() -> new IllegalStateException("this region's server is not up"))),
                () -> url(routes.primary()), settings.superuser(), settings.users().get(settings.superuser()));
        this.listener = listener;
        this.acceptor = new Thread(this::accept, "sql-endpoint");
        this.acceptor.setDaemon(true);
    }

    /** Listens on the configured address and port, and serves until closed. */
    public static SqlEndpoint start(EndpointSettings settings, ServerRoutes routes) {
        try {
            var listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(settings.host(), settings.port()), 128);
            var endpoint = new SqlEndpoint(settings, routes, listener);
            endpoint.acceptor.start();
            log.info("event=sql_endpoint_listening address={}:{}", settings.host(), listener.getLocalPort());
            return endpoint;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for PostgreSQL clients on " + settings.host() + ":"
                    + settings.port() + " (" + e.getMessage() + "): choose another sql.endpointPort", e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    EndpointSettings settings() {
        return settings;
    }

    ServerRoutes routes() {
        return routes;
    }

    ScramVerifier verifier() {
        return verifier;
    }

    WalWatch walWatch() {
        return walWatch;
    }

    void cancel(int processId, int secret) {
        Session session = bySessionId.get(processId);
        if (session != null && session.secret() == secret) {
            session.cancel();
        }
    }

    void ended(Session session) {
        bySessionId.remove(session.processId(), session);
        open.decrementAndGet();
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                if (!closed) {
                    log.warn("event=sql_endpoint_accept_failed error=\"{}\"", e.getMessage());
                }
                continue;
            }
            try {
                PgStream client = PgStream.client(socket, settings.maxMessageBytes());
                if (open.incrementAndGet() > settings.maxConnections()) {
                    open.decrementAndGet();
                    refuseTooMany(client);
                    continue;
                }
                int processId;
                Session session;
                do {
                    processId = random.nextInt(Integer.MAX_VALUE);
                    session = new Session(this, client, processId, random.nextInt());
                } while (bySessionId.putIfAbsent(processId, session) != null);
                sessions.execute(session);
            } catch (IOException e) {
                closeQuietly(socket);
            }
        }
    }

    /** PostgreSQL's own answer when max_connections is reached (after the startup packet, as it reads it). */
    private void refuseTooMany(PgStream client) {
        sessions.execute(() -> {
            try (client) {
                client.readStartupPacket();
                client.write(Messages.error("FATAL", "53300", "sorry, too many clients already", null));
                client.flush();
            } catch (IOException | ProtocolException e) {
                // the client learns it from the closed connection
            }
        });
    }

    private static String url(dev.meridian.core.HostPort server) {
        return "jdbc:postgresql://" + server.host() + ":" + server.port() + "/postgres";
    }

    private static void closeQuietly(Closeable socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** Stops listening and ends every session. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        bySessionId.values().forEach(Session::disconnect);
        sessions.shutdownNow();
        try {
            sessions.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        walWatch.close();
    }

}
