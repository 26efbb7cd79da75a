package dev.meridian.objects.blob;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.stream.StreamMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Semaphore;

/** Streams stored bytes out over HTTP, read from disk in large blocks off the event loop. */
public final class BlobStreams {
    /** Armeria reads files 8 KiB at a time by default; objects are read in 256 KiB blocks. */
    private static final int READ_BLOCK = 256 * 1024;
    /**
     * Ranges up to this size are read whole by a thread that may block, in one call, into one pooled buffer: a block
     * read by Armeria's file stream is two thread hand-offs (to its reader and back to the event loop), which cost a
     * 1 MiB GetObject more than its reads.
     */
    private static final int READ_WHOLE_MAX = 1024 * 1024;
    /**
     * Bytes read whole and not yet sent, at most, across the process: a whole read is not held back by a slow
     * client the way a stream is, so past this ranges stream.
     */
    private static final Semaphore WHOLE_READS_IN_FLIGHT = new Semaphore(64 * 1024 * 1024);

    private BlobStreams() {}

    /** {@code length} bytes of {@code file} from {@code offset}, streamed from an event loop. */
    static StreamMessage<HttpData> range(Path file, long offset, long length) {
        return StreamMessage.builder(file).bufferSize(READ_BLOCK).build().range(offset, length);
    }

    /**
     * {@code length} bytes of {@code file} from {@code offset}: read now when small and the budget allows, on the
     * calling thread, which must be one that may block; streamed otherwise.
     */
    public static StreamMessage<HttpData> rangeBlocking(Path file, long offset, long length) {
        if (length > READ_WHOLE_MAX || !WHOLE_READS_IN_FLIGHT.tryAcquire((int) length)) {
            return range(file, offset, length);
        }
        StreamMessage<HttpData> whole;
        try {
            whole = readWhole(file, offset, (int) length);
        } catch (RuntimeException e) {
            WHOLE_READS_IN_FLIGHT.release((int) length);
            throw e;
        }
        whole.whenComplete().handle((sent, failed) -> {
            WHOLE_READS_IN_FLIGHT.release((int) length);
            return null;
        });
        return whole;
    }

    private static StreamMessage<HttpData> readWhole(Path file, long offset, int length) {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(length);
        boolean handedOver = false;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer target = buffer.nioBuffer(0, length);
            while (target.hasRemaining()) {
                if (channel.read(target, offset + target.position()) < 0) {
                    throw new EOFException(file + " ends before byte " + (offset + length));
                }
            }
            buffer.writerIndex(length);
            handedOver = true;
            return StreamMessage.of(HttpData.wrap(buffer));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        } finally {
            if (!handedOver) {
                buffer.release();
            }
        }
    }
}
