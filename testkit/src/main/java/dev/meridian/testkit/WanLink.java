package dev.meridian.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy standing for the network route from one region to another: it listens on 127.0.0.1 and forwards
 * each connection to a target, delaying bytes by the one-way delay of the direction they travel.
 *
 * <p>Connections are opened by {@code from}; bytes from the client to the target take the forward delay, the
 * answers the backward delay. Each connection uses four threads (a reader and a writer per direction), named
 * {@code wan-<from>-><to>-c<n>-<fwd|back>-<in|out>}, which suits the handful of long-lived streams regions keep.
 */
public final class WanLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WanLink.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    /** A snapshot of a link for status displays. */
    public record Status(
            String from,
            String to,
            InetSocketAddress address,
            InetSocketAddress target,
            LinkState state,
            Duration forwardDelay,
            Duration backwardDelay,
            Duration jitter,
            long bandwidthBytesPerSecond,
            int connections) {}

    private final String from;
    private final String to;
    private final String name;
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final LinkGate gate = new LinkGate();
    private final LinkDirection forward;
    private final LinkDirection backward;
    private final Set<LinkConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIds = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    private WanLink(Builder builder) throws IOException {
        this.from = builder.from;
        this.to = builder.to;
        this.name = "wan-" + from + "->" + to;
        this.target = builder.target;
        this.forward = new LinkDirection(gate, builder.forwardDelay, builder.jitter, builder.bandwidth);
        this.backward = new LinkDirection(gate, builder.backwardDelay, builder.jitter, builder.bandwidth);
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        try {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), builder.listenPort));
        } catch (IOException e) {
            server.close();
            throw new IOException("WAN link " + from + "->" + to + " cannot listen on 127.0.0.1:" + builder.listenPort
                    + " (" + e.getMessage() + "); free the port or choose another base port", e);
        }
        this.acceptor = new Thread(this::acceptLoop, name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts describing the link from region {@code from} to region {@code to}, whose peer port is {@code target}. */
    public static Builder builder(String from, String to, InetSocketAddress target) {
        return new Builder(from, to, target);
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }

    /** Where {@code from} connects to reach {@code to} through this link. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    public InetSocketAddress target() {
        return target;
    }

    public LinkState state() {
        return gate.state();
    }

    public Status status() {
        return new Status(from, to, address(), target, state(), forward.delay(), backward.delay(), forward.jitter(),
                forward.bandwidth(), connections.size());
    }

    /** Resets every open connection and every new one until {@link #heal()}. */
    public void cut() {
        gate.set(LinkState.CUT);
        int open = connections.size();
        connections.forEach(LinkConnection::reset);
        log.info("wan link cut link={} connectionsReset={}", name, open);
    }

    /** Holds every byte, on open connections and new ones, until {@link #heal()}; nothing is closed. */
    public void blackhole() {
        gate.set(LinkState.BLACKHOLED);
        log.info("wan link blackholed link={}", name);
    }

    /** Lets bytes flow again; bytes held by a black hole are delivered at once. */
    public void heal() {
        gate.set(LinkState.OPEN);
        log.info("wan link healed link={}", name);
    }

    /** Sets the one-way delays for bytes sent from now on (bytes already in flight keep theirs). */
    public void setDelay(Duration forwardDelay, Duration backwardDelay) {
        forward.setDelay(forwardDelay);
        backward.setDelay(backwardDelay);
        log.info("wan link delay link={} forwardMs={} backwardMs={}", name, forwardDelay.toMillis(),
                backwardDelay.toMillis());
    }

    /** Varies each chunk's delay uniformly by up to {@code jitter} either way, never reordering a connection's bytes. */
    public void setJitter(Duration jitter) {
        forward.setJitter(jitter);
        backward.setJitter(jitter);
    }

    /** Caps each direction at {@code bytesPerSecond}, shared by all connections; 0 means unlimited. */
    public void setBandwidth(long bytesPerSecond) {
        forward.setBandwidth(bytesPerSecond);
        backward.setBandwidth(bytesPerSecond);
    }

    @Override
    public void close() {
        closed = true;
        gate.set(LinkState.CUT);
        try {
            server.close();
        } catch (IOException e) {
            log.debug("wan link listener close failed link={} cause={}", name, e.toString());
        }
        connections.forEach(LinkConnection::reset);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("wan link accept failed link={} cause={}", name, e.toString());
                    pauseAfterAcceptFailure();
                }
                continue;
            }
            if (gate.state() == LinkState.CUT) {
                reset(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
                if (upstream.getLocalSocketAddress().equals(upstream.getRemoteSocketAddress())) {
                    // TCP self-connect: the target's port was free and the kernel gave this socket that same port
                    // as its own (loopback, ephemeral range). Nothing listens there: the target is down.
                    throw new IOException("connected to itself: nothing listens on " + target);
                }
            } catch (IOException e) {
                // The target region is down: the client sees a reset, as it would from a closed port.
                log.debug("wan link target unreachable link={} target={} cause={}", name, target, e.toString());
                reset(client);
                reset(upstream);
                continue;
            }
            var connection = new LinkConnection(name + "-c" + connectionIds.incrementAndGet(), client, upstream,
                    forward, backward, connections::remove);
            connections.add(connection);
            connection.start();
            // cut() may have run between the check above and add(); it must not miss this connection.
            if (gate.state() == LinkState.CUT) {
                connection.reset();
            }
        }
    }

    /** Keeps a persistent accept error (such as running out of file descriptors) from spinning a core. */
    private static void pauseAfterAcceptFailure() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reset(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
        } catch (IOException e) {
            // the socket is gone either way
        }
    }

    @Override
    public String toString() {
        return name + " " + address() + " -> " + target;
    }

    /** Describes a link before it starts listening. */
    public static final class Builder {
        private final String from;
        private final String to;
        private final InetSocketAddress target;
        private int listenPort;
        private Duration forwardDelay = Duration.ZERO;
        private Duration backwardDelay = Duration.ZERO;
        private Duration jitter = Duration.ZERO;
        private long bandwidth;

        private Builder(String from, String to, InetSocketAddress target) {
            this.from = from;
            this.to = to;
            this.target = target;
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder listenPort(int port) {
            this.listenPort = port;
            return this;
        }

        public Builder delays(Duration forward, Duration backward) {
            this.forwardDelay = forward;
            this.backwardDelay = backward;
            return this;
        }

        public Builder jitter(Duration jitter) {
            this.jitter = jitter;
            return this;
        }

        /** Bytes per second each way; 0 (the default) means unlimited. */
        public Builder bandwidth(long bytesPerSecond) {
            this.bandwidth = bytesPerSecond;
            return this;
        }

        /** Binds the listening port and starts accepting connections. */
        public WanLink open() throws IOException {
            return new WanLink(this);
        }
    }
}
