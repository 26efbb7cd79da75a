package dev.meridian.objects.blob;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.common.stream.SubscriptionOption;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * An HTTP body (a request's, or a response's) read as an {@link InputStream} by a blocking thread, keeping up to
 * {@link #WINDOW} chunks asked for ahead. Armeria's own {@code toInputStream} asks for one chunk at a time, so every
 * chunk of a large body costs two thread hand-offs (a wake-up of the reader, then of the event loop) and the sender
 * waits on them; with a window the event loop keeps reading while the reader hashes and writes, and demand is topped
 * up a few chunks at a time. Chunks arrive as pooled buffers and are read from them directly, released once read or
 * when the stream is closed.
 */
public final class BodyInputStream extends InputStream implements Subscriber<HttpObject> {
    /** Chunks asked for ahead: a few hundred KiB per request at most (a chunk is one socket read). */
    static final int WINDOW = 8;
    private static final Object END = new Object();

    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private volatile Subscription subscription;
    private volatile boolean closed;
    private HttpData current;
    /** {@code current}'s bytes, taken once: an {@link HttpData} may hand out a fresh view each time it is asked. */
    private ByteBuf currentBytes;
    private int consumedSinceDemand;
    private boolean ended;

    private BodyInputStream() {}

    /** Starts reading {@code body} (a request, or a response body), its chunks delivered on {@code eventLoop}. */
    public static BodyInputStream of(StreamMessage<? extends HttpObject> body, EventExecutor eventLoop) {
        var stream = new BodyInputStream();
        body.subscribe(stream, eventLoop, SubscriptionOption.WITH_POOLED_OBJECTS);
        return stream;
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        s.request(WINDOW);
    }

    @Override
    public void onNext(HttpObject object) {
        if (object instanceof HttpData data && !data.isEmpty()) {
            arrived.add(data);
            if (closed) {
                releaseArrived();
            }
        } else {
            if (object instanceof HttpData empty) {
                empty.close();
            }
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable t) {
        arrived.add(t);
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

    @Override
    public int read() throws IOException {
        ByteBuf buffer = currentBuffer();
        return buffer == null ? -1 : buffer.readByte() & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        ByteBuf buffer = currentBuffer();
        if (buffer == null) {
            return -1;
        }
        int n = Math.min(len, buffer.readableBytes());
        buffer.readBytes(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return currentBytes == null ? 0 : currentBytes.readableBytes();
    }

    /** The chunk being read, waiting for the next when it is used up; null at the end of the body. */
    private ByteBuf currentBuffer() throws IOException {
        while (currentBytes == null || !currentBytes.isReadable()) {
            if (current != null) {
                release();
                topUpDemand();
            }
            if (ended) {
                return null;
            }
            Object next;
            try {
                next = arrived.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading the request body", e);
            }
            if (next == END) {
                ended = true;
            } else if (next instanceof Throwable failure) {
                ended = true;
                throw new IOException("the request body could not be read: " + failure.getMessage(), failure);
            } else {
                current = (HttpData) next;
                currentBytes = current.byteBuf();
            }
        }
        return currentBytes;
    }

    private void release() {
        current.close();
        current = null;
        currentBytes = null;
    }

    private void topUpDemand() {
        if (++consumedSinceDemand >= WINDOW / 2) {
            subscription.request(consumedSinceDemand);
            consumedSinceDemand = 0;
        }
    }

    /** Stops the body (if unread) and releases every chunk still held. */
    @Override
    public void close() {
        closed = true;
        ended = true;
        Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        if (current != null) {
            release();
        }
        releaseArrived();
    }

    /** Releases queued chunks; safe from the event loop and the reader at once (each chunk is polled once). */
    private void releaseArrived() {
        Object left;
        while ((left = arrived.poll()) != null) {
            if (left instanceof HttpData data) {
                data.close();
            }
        }
    }
}
