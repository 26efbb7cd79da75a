package dev.meridian.gateway.cache;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.stream.StreamMessage;
import java.util.Optional;

/** The bytes of a stored response, in memory or in a file. */
sealed interface Body permits MemoryBody, DiskBody {
    long length();

    /** The bytes from {@code offset} on, {@code length} of them; empty when the body has been deleted meanwhile. */
    Optional<StreamMessage<HttpData>> open(long offset, long length);
}
