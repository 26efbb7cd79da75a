package dev.meridian.objects.replication;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.stream.StreamMessage;

/**
 * A peer's answer to a {@link BlobRequest}, headers received and the bytes still streaming in. Whoever takes it must
 * consume or abort {@code body}.
 *
 * @param source the region that answered
 */
record FetchedBlob(String source, ResponseHeaders headers, StreamMessage<HttpData> body) {}
