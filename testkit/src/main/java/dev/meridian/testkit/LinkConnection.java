package dev.meridian.testkit;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One client connection through a {@link WanLink}: the client socket, the socket to the target, and a pipe each way. */
final class LinkConnection {
    private static final Logger log = LoggerFactory.getLogger(LinkConnection.class);

    private final String name;
    private final Socket client;
    private final Socket upstream;
    private final DelayedPipe forward;
    private final DelayedPipe backward;
    private final Consumer<LinkConnection> onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** How many directions have delivered their end of stream; guarded by {@code this}. */
    private int finishedDirections;

    LinkConnection(
            String name,
            Socket client,
            Socket upstream,
            LinkDirection forwardDirection,
            LinkDirection backwardDirection,
            Consumer<LinkConnection> onClosed) {
        this.name = name;
        this.client = client;
        this.upstream = upstream;
        this.onClosed = onClosed;
        DelayedPipe.Listener listener = new DelayedPipe.Listener() {
            @Override
            public void delivered(DelayedPipe pipe) {
                directionFinished();
            }

            @Override
            public void failed(DelayedPipe pipe, IOException cause) {
                if (!closed.get()) {
                    log.debug("wan connection failed connection={} pipe={} cause={}", name, pipe.name(), cause.toString());
                }
                reset();
            }
        };
        this.forward = new DelayedPipe(name + "-fwd", client, upstream, forwardDirection, listener);
        this.backward = new DelayedPipe(name + "-back", upstream, client, backwardDirection, listener);
    }

    void start() {
        forward.start();
        backward.start();
    }

    /** Ends the connection abruptly: both ends see a reset, as when a route disappears and TCP gives up. */
    void reset() {
        if (closed.compareAndSet(false, true)) {
            abort(client);
            abort(upstream);
            forward.stop();
            backward.stop();
            onClosed.accept(this);
        }
    }

    /** Both sides have half-closed and every byte is delivered, so the connection ends normally. */
    private void directionFinished() {
        synchronized (this) {
            if (++finishedDirections < 2) {
                return;
            }
        }
        if (closed.compareAndSet(false, true)) {
            closeQuietly(client);
            closeQuietly(upstream);
            onClosed.accept(this);
        }
    }

    private static void abort(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed: nothing left to reset
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is best effort; the peer sees the end of the stream either way
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
