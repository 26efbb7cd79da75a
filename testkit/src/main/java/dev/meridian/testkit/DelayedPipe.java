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
 * writer thread delivers it then, so bytes arrive late but in order. Chunk buffers go back to the reader once
 * written: a fresh buffer per read made this process allocate, and fault in, as many bytes as every link carried.
 */
final class DelayedPipe {
    /** The most read at once: a 1 MiB body crosses in 16 reads, each a hand-off from reader to writer. */
    private static final int CHUNK_BYTES = 64 * 1024;
    /** Reads up to this long are copied out of the read buffer, which is then reused at once. */
    private static final int SHORT_READ_BYTES = 16 * 1024;
    /** Bytes in flight per direction; beyond it the reader stops and TCP pushes back on the sender. */
    private static final long MAX_QUEUED_BYTES = 8L << 20;

    /** A run of bytes read from the source; {@code bytes == null} marks the source's end of stream. */
    private record Chunk(byte[] bytes, int length, long releaseNanos) {}

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
    /**
     * Each side is woken only when it must be: the writer when the queue stops being empty (while it holds a chunk,
     * its wait ends at that chunk's release time, which later chunks do not move), the reader when room frees up.
     * Waking the writer for every chunk read cost a futex round trip per chunk for nothing.
     */
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    /** Chunks waiting for their release time; guarded by {@code lock}. */
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    /** Written chunks' buffers, for the reader to fill again; guarded by {@code lock}. */
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
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
                    enqueue(null, 0);
                    return;
                }
                buffer = enqueue(buffer, n);
            }
        } catch (IOException e) {
            listener.failed(this, e);
        } catch (InterruptedException e) {
            // stopped by the connection
        }
    }

    /**
     * Queues {@code length} bytes of {@code buffer} (null: the end of stream) and returns the buffer to read into
     * next. A short read is copied out and its buffer read into again; a long one hands its buffer over.
     */
    private byte[] enqueue(byte[] buffer, int length) throws InterruptedException {
        byte[] bytes = buffer == null || length > SHORT_READ_BYTES ? buffer : Arrays.copyOf(buffer, length);
        lock.lock();
        try {
            while (queuedBytes >= MAX_QUEUED_BYTES) {
                notFull.await();
            }
            lastReleaseNanos = direction.releaseTime(System.nanoTime(), lastReleaseNanos);
            queue.addLast(new Chunk(bytes, length, lastReleaseNanos));
            queuedBytes += bytes == null ? 0 : bytes.length;
            if (queue.size() == 1) {
                notEmpty.signal();
            }
            if (buffer == null || bytes != buffer) {
                return buffer; // the end of stream, or a short read copied out: keep reading into the same buffer
            }
            return spare.isEmpty() ? new byte[CHUNK_BYTES] : spare.pop();
        } finally {
            lock.unlock();
        }
    }

    private void writeLoop() {
        try {
            OutputStream out = sink.getOutputStream();
            byte[] written = null;
            while (true) {
                Chunk chunk = takeReleased(written);
                if (!direction.gate.awaitFlowing()) {
                    return;
                }
                if (chunk.bytes() == null) {
                    sink.shutdownOutput();
                    listener.delivered(this);
                    return;
                }
                direction.awaitBandwidth(chunk.length());
                out.write(chunk.bytes(), 0, chunk.length());
                written = chunk.bytes();
            }
        } catch (IOException e) {
            listener.failed(this, e);
        } catch (InterruptedException e) {
            // stopped by the connection
        }
    }

    /** The next chunk once its release time has come; {@code written} (if any) is the last one's buffer, done with. */
    private Chunk takeReleased(byte[] written) throws InterruptedException {
        lock.lock();
        try {
            if (written != null && written.length == CHUNK_BYTES) {
                spare.push(written);
            }
            while (true) {
                Chunk head = queue.peekFirst();
                if (head == null) {
                    notEmpty.await();
                    continue;
                }
                long wait = head.releaseNanos() - System.nanoTime();
                if (wait > 0) {
                    notEmpty.awaitNanos(wait);
                    continue;
                }
                queue.removeFirst();
                boolean wasFull = queuedBytes >= MAX_QUEUED_BYTES;
                queuedBytes -= head.bytes() == null ? 0 : head.bytes().length;
                if (wasFull && queuedBytes < MAX_QUEUED_BYTES) {
                    notFull.signal();
                }
                return head;
            }
        } finally {
            lock.unlock();
        }
    }
}
