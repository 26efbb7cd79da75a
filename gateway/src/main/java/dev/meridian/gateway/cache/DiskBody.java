package dev.meridian.gateway.cache;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.stream.StreamMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A body in a file of its own, deleted when nothing holds it any more: the disk index holds it for each entry
 * that points at it (a revalidated entry shares its predecessor's file) and each response being read from it
 * holds it until the last byte is sent, so eviction never pulls a file from under a reader.
 */
final class DiskBody implements Body {
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final Path file;
    private final long length;
    private final AtomicInteger holders = new AtomicInteger(1);

    /** A body for a complete file, held once by its creator. */
    DiskBody(Path file, long length) {
        this.file = file;
        this.length = length;
    }

    @Override
    public long length() {
        return length;
    }

    /** Takes one more hold; false when the file is already gone. */
    boolean retain() {
        return holders.getAndUpdate(count -> count == 0 ? 0 : count + 1) > 0;
    }

    void release() {
        if (holders.decrementAndGet() == 0) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete cached body " + file, e);
            }
        }
    }

    @Override
    public Optional<StreamMessage<HttpData>> open(long offset, long length) {
        if (!retain()) {
            return Optional.empty();
        }
        StreamMessage<HttpData> bytes = StreamMessage.builder(file).bufferSize(READ_BUFFER_BYTES).build()
                .range(offset, length);
        bytes.whenComplete().handle((ignored, error) -> {
            release();
            return null;
        });
        return Optional.of(bytes);
    }
}
