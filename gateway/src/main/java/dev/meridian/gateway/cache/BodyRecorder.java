package dev.meridian.gateway.cache;

import com.linecorp.armeria.common.HttpData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Copies a response body into a temporary file while it streams to the client, and into memory as long as
 * it is small enough for the memory tier. The stream hands it one chunk at a time and waits for the chunk's
 * file write before sending it on, so a slow disk slows the transfer instead of piling chunks up in memory.
 * A failing disk or an oversized body only stops the recording; the client's transfer goes on.
 */
final class BodyRecorder {
    /** A completely recorded body, still in its temporary file. */
    record Recorded(Path tempFile, long length, Optional<byte[]> bytes) {}

    private final Path tempFile;
    private final FileChannel channel;
    private final long memoryLimit;
    private final long maxBytes;
    private final Executor fileWriter;
    private final Runnable onAbandon;
    // Written by the response's event loop, one chunk after the other, and read after each chunk's write.
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private volatile long length;
    private volatile boolean abandoned;

    /** Creates the temporary file; {@code onAbandon} runs once if the body turns out not to be storable. */
    BodyRecorder(Path tempFile, long memoryLimit, long maxBytes, Executor fileWriter, Runnable onAbandon) {
        this.tempFile = tempFile;
        this.memoryLimit = memoryLimit;
        this.maxBytes = maxBytes;
        this.fileWriter = fileWriter;
        this.onAbandon = onAbandon;
        try {
            channel = FileChannel.open(tempFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + tempFile, e);
        }
    }

    /** Records one chunk; the returned future hands the chunk on once it is on disk. */
    CompletableFuture<HttpData> write(HttpData data) {
        if (abandoned) {
            return CompletableFuture.completedFuture(data);
        }
        length += data.length();
        if (length > maxBytes) {
            abandon();
            return CompletableFuture.completedFuture(data);
        }
        byte[] bytes = data.array();
        if (memory != null) {
            if (length <= memoryLimit) {
                memory.writeBytes(bytes);
            } else {
                memory = null;
            }
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                abandon();
            }
            return data;
        }, fileWriter);
    }

    /** How many bytes were handed over so far. */
    long length() {
        return length;
    }

    /**
     * The recorded body once the last chunk is written; empty (and the file deleted) when recording was
     * abandoned or the body is shorter or longer than the {@code Content-Length} the origin announced.
     */
    Optional<Recorded> finish(OptionalLong contentLength) {
        if (abandoned || contentLength.stream().anyMatch(expected -> expected != length)) {
            discard();
            return Optional.empty();
        }
        try {
            channel.close();
        } catch (IOException e) {
            discard();
            return Optional.empty();
        }
        return Optional.of(new Recorded(tempFile, length, Optional.ofNullable(memory).map(ByteArrayOutputStream::toByteArray)));
    }

    /** Drops whatever was recorded: the stream broke or the response is not to be stored after all. */
    void discard() {
        abandoned = true;
        try {
            channel.close();
            Files.deleteIfExists(tempFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + tempFile, e);
        }
    }

    private void abandon() {
        if (!abandoned) {
            abandoned = true;
            onAbandon.run();
        }
    }
}
