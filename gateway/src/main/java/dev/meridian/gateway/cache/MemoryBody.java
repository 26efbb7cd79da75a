package dev.meridian.gateway.cache;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.stream.StreamMessage;
import java.util.Optional;

/** A body held on the heap; never written to after it is stored. */
record MemoryBody(byte[] bytes) implements Body {
    @Override
    public long length() {
        return bytes.length;
    }

    @Override
    public Optional<StreamMessage<HttpData>> open(long offset, long length) {
        return Optional.of(StreamMessage.of(HttpData.wrap(bytes, (int) offset, (int) length)));
    }
}
