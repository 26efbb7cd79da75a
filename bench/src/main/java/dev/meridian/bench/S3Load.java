package dev.meridian.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Closed-loop PutObject and GetObject phases against one S3 server for one object size: PutObject of distinct keys,
 * then GetObject of random keys the PutObject phase wrote, every body read compared with the bytes written.
 *
 * <p>Each client thread owns its slot of {@code written} and its two buffers; the phases' joins publish them.
 */
final class S3Load {
    private final String server;
    private final S3Client client;
    private final String bucket;
    private final String keyPrefix;
    private final ObjectBodies bodies;
    private final int threads;
    /** Slot t: how many keys thread t has written; keys 0 to this minus 1 all exist. */
    private final long[] written;
    private final byte[][] putBuffers;
    private final byte[][] getBuffers;

    /** {@code keyPrefix} keeps this load's keys apart from any other's in the bucket. */
    S3Load(String server, S3Client client, String bucket, String keyPrefix, int objectBytes, int threads) {
        this.server = server;
        this.client = client;
        this.bucket = bucket;
        this.keyPrefix = keyPrefix;
        this.bodies = new ObjectBodies(objectBytes);
        this.threads = threads;
        this.written = new long[threads];
        this.putBuffers = new byte[threads][];
        this.getBuffers = new byte[threads][];
        for (int t = 0; t < threads; t++) {
            putBuffers[t] = bodies.newBuffer();
            getBuffers[t] = bodies.newBuffer();
        }
    }

    /** A PutObject phase; its keys follow the ones earlier phases wrote, so every round writes new objects. */
    ClosedLoopPhase.Result put(String round, Duration warmup, Duration duration, CpuWindow cpu)
            throws InterruptedException {
        return ClosedLoopPhase.run(phaseName("PutObject", round), threads, warmup, duration, cpu, (thread, i) -> {
            long sequence = written[thread];
            String key = key(thread, sequence);
            byte[] body = putBuffers[thread];
            bodies.fill(key, body);
            // The SDK reads the buffer as it sends (and again to sign it), not copying it: the thread leaves it alone
            // until the call returns.
            client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromContentProvider(
                    ContentStreamProvider.fromByteArrayUnsafe(body), body.length, "application/octet-stream"));
            written[thread] = sequence + 1;
        });
    }

    ClosedLoopPhase.Result get(String round, Duration warmup, Duration duration, CpuWindow cpu)
            throws InterruptedException {
        return ClosedLoopPhase.run(phaseName("GetObject", round), threads, warmup, duration, cpu, (thread, i) -> {
            var random = ThreadLocalRandom.current();
            int owner = random.nextInt(threads);
            if (written[owner] == 0) {
                throw new IllegalStateException("the PutObject phase wrote nothing for thread " + owner);
            }
            String key = key(owner, random.nextLong(written[owner]));
            byte[] body = getBuffers[thread];
            // Read inside the call: a ResponseInputStream handed out would schedule a timeout task per call, and the
            // cancelled ones wake the SDK's scheduler thread for a minute after the phase, in the next one.
            long length = client.getObject(b -> b.bucket(bucket).key(key), (response, in) -> readAll(in, body));
            bodies.mismatch(key, body, length).ifPresent(problem -> {
                throw new IllegalStateException("GetObject " + problem);
            });
        });
    }

    /** The phase's name in progress lines and reports, e.g. {@code s3proxy PutObject 4 KiB, round 2}. */
    private String phaseName(String operation, String round) {
        return server + " " + operation + " " + ObjectSizeConverter.describe(bodies.size())
                + (round.isEmpty() ? "" : ", " + round);
    }

    private String key(int thread, long sequence) {
        return keyPrefix + bodies.size() + "-" + thread + "-" + sequence;
    }

    /** Reads the whole stream, the first {@code buffer.length} bytes into {@code buffer}; returns its length. */
    static long readAll(InputStream in, byte[] buffer) throws IOException {
        int read = in.readNBytes(buffer, 0, buffer.length);
        return read + in.transferTo(OutputStream.nullOutputStream());
    }
}
