package dev.meridian.gateway.dns;

import dev.meridian.gateway.dns.QueryAnswerer.Transport;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts TCP connections on the responder's port and answers the length-prefixed queries on each (RFC 7766). The
 * accept loop has its own daemon thread; connections are served by a small pool, and one idle for
 * {@link #IDLE_TIMEOUT} is closed, so a client that holds a connection open cannot hold a thread for long.
 */
final class TcpListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TcpListener.class);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
    /** TCP carries the answers too large for UDP, which are rare; a few threads are plenty. */
    private static final int CONNECTION_THREADS = 4;
    /** Connections accepted beyond these are closed at once; the client retries. */
    private static final int WAITING_CONNECTIONS = 32;
    /** Accepting fails again at once while file descriptors run out; pause rather than spin. */
    private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);

    private final ServerSocketChannel server;
    private final QueryAnswerer answerer;
    private final Thread acceptThread;
    private final ExecutorService connectionThreads;
    /** Open connections, accepted or being served, so that close() can end them; shared by all of the above. */
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();

    private TcpListener(ServerSocketChannel server, int port, QueryAnswerer answerer) {
        this.server = server;
        this.answerer = answerer;
        this.acceptThread = new Thread(this::acceptUntilClosed, "gateway-dns-tcp-" + port);
        this.acceptThread.setDaemon(true);
        var ids = new AtomicInteger();
        this.connectionThreads = new ThreadPoolExecutor(CONNECTION_THREADS, CONNECTION_THREADS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(WAITING_CONNECTIONS), task -> {
                    Thread t = new Thread(task, "gateway-dns-tcp-" + port + "-" + ids.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Starts accepting on {@code server}, bound to {@code port}, which this listener owns from now on. */
    static TcpListener start(ServerSocketChannel server, int port, QueryAnswerer answerer) {
        var listener = new TcpListener(server, port, answerer);
        listener.acceptThread.start();
        return listener;
    }

    private void acceptUntilClosed() {
        while (server.isOpen()) {
            SocketChannel connection;
            try {
                connection = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.warn("event=dns_tcp_accept_failed error=\"{}\"", e.toString());
                pause();
                continue;
            }
            connections.add(connection);
            try {
                connectionThreads.execute(() -> serve(connection));
            } catch (RejectedExecutionException e) {
                forget(connection);
            }
        }
    }

    private void serve(SocketChannel connection) {
        try {
            Socket socket = connection.socket();
            // Reads through the socket's streams honour SO_TIMEOUT; reads on the channel itself would wait forever.
            socket.setSoTimeout((int) IDLE_TIMEOUT.toMillis());
            var in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            var out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            while (true) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                Optional<byte[]> answer = answerer.answer(query, Transport.TCP);
                if (answer.isEmpty()) {
                    // A response, or less than a header: whatever the peer is doing, it is not asking; hang up.
                    return;
                }
                out.writeShort(answer.get().length);
                out.write(answer.get());
                out.flush();
            }
        } catch (EOFException | SocketTimeoutException | ClosedChannelException e) {
            // The client is done, went idle, or the listener is closing: all normal ends of a connection.
        } catch (IOException | RuntimeException e) {
            log.debug("event=dns_tcp_connection_failed error=\"{}\"", e.toString());
        } finally {
            forget(connection);
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        connectionThreads.shutdownNow();
        connections.forEach(TcpListener::closeQuietly);
    }

    private void forget(SocketChannel connection) {
        connections.remove(connection);
        closeQuietly(connection);
    }

    private static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing is all that was left to do with it.
        }
    }

    private static void pause() {
        try {
            Thread.sleep(ACCEPT_BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
