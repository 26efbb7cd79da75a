package dev.meridian.objects.blob;

import com.linecorp.armeria.common.stream.ByteStreamMessage;
import com.linecorp.armeria.common.stream.StreamMessage;
import java.nio.file.Path;

/** Streams stored bytes out over HTTP, read from disk in large blocks off the event loop. */
public final class BlobStreams {
    /** Armeria reads files 8 KiB at a time by default; objects are read in 256 KiB blocks. */
    private static final int READ_BLOCK = 256 * 1024;

    private BlobStreams() {}

    /** {@code length} bytes of {@code file} from {@code offset}. */
    public static ByteStreamMessage range(Path file, long offset, long length) {
        return StreamMessage.builder(file).bufferSize(READ_BLOCK).build().range(offset, length);
    }
}
