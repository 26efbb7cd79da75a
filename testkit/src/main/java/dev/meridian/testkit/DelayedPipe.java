package dev.meridian.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Carries one direction of a proxied connection: a reader thread stamps each chunk with its release time and a
 * writer thread delivers it then, so bytes arrive late but in order.
 */
final class DelayedPipe {
    private static final int CHUNK_BYTES = 16 * 1024;
    /** Bytes in flight per direction; beyond it the reader stops and TCP pushes back on the sender. */
    private static final long MAX_QUEUED_BYTES = 8L << 20;

    /** A run of bytes read from the source; {@code bytes == null} marks the source's end of stream. */
    private record Chunk(byte[] bytes, long releaseNanos) {}

    /** What the pipe tells its connection. */
    interface Listener {
        void delivered(DelayedPipe pipe);

        void failed(DelayedPipe pipe, IOException cause);
    }

    private final String name;
    private final Socket source;
    private final Socket sink;
    private final LinkDirection direction;
    private final Listener listener;
    private final Thread reader;
    private final Thread writer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Chunks waiting for their release time; guarded by {@code lock}. */
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private long queuedBytes;
    private long lastReleaseNanos;

    DelayedPipe(String name, Socket source, Socket sink, LinkDirection direction, Listener listener) {
        this.name = name;
        this.source = source;
        this.sink = sink;
        this.direction = direction;
        this.listener = listener;
        this.reader = new Thread(this::readLoop, name + "-in");
        this.writer = new Thread(this::writeLoop, name + "-out");
        reader.setDaemon(true);
        writer.setDaemon(true);
    }

    String name() {
        return name;
    }

    void start() {
        reader.start();
        writer.start();
    }

    /** Wakes both threads so they exit; the connection closes the sockets. */
    void stop() {
        reader.interrupt();
        writer.interrupt();
    }

    private void readLoop() {
        byte[] buffer = new byte[CHUNK_BYTES];
        try {
            InputStream in = source.getInputStream();
            while (direction.gate.awaitFlowing()) {
                int n = in.read(buffer);
                if (n < 0) {
                    enqueue(null);
                    return;
                }
                enqueue(Arrays.copyOf(buffer, n));
            }
        } catch (IOException e) {
            listener.failed(this, e);
        } catch (InterruptedException e) {
            // stopped by the connection
        }
    }

    private void enqueue(byte[] bytes) throws InterruptedException {
        lock.lock();
        try {
            while (queuedBytes >= MAX_QUEUED_BYTES) {
                changed.await();
            }
            lastReleaseNanos = direction.releaseTime(System.nanoTime(), lastReleaseNanos);
            queue.addLast(new Chunk(bytes, lastReleaseNanos));
            queuedBytes += bytes == null ? 0 : bytes.length;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void writeLoop() {
        try {
            OutputStream out = sink.getOutputStream();
            while (true) {
                Chunk chunk = takeReleased();
                if (!direction.gate.awaitFlowing()) {
                    return;
                }
                if (chunk.bytes() == null) {
                    sink.shutdownOutput();
                    listener.delivered(this);
                    return;
                }
                direction.awaitBandwidth(chunk.bytes().length);
                out.write(chunk.bytes());
            }
        } catch (IOException e) {
            listener.failed(this, e);
        } catch (InterruptedException e) {
            // stopped by the connection
        }
    }

    private Chunk takeReleased() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                Chunk head = queue.peekFirst();
                if (head == null) {
                    changed.await();
                    continue;
                }
                long wait = head.releaseNanos() - System.nanoTime();
                if (wait > 0) {
                    changed.awaitNanos(wait);
                    continue;
                }
                queue.removeFirst();
                queuedBytes -= head.bytes() == null ? 0 : head.bytes().length;
                changed.signalAll();
                return head;
            }
        } finally {
            lock.unlock();
        }
    }
}
