package dev.meridian.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.fabric.ReplicationDelays;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * {@code GET /_meridian/replication-delay} (fabric entries: commit to apply) and
 * {@code GET /_meridian/objects/replication-delay} (object bytes: commit to copy landed): every delay recorded in
 * this region since the previous call, per origin, as percentiles and as a compressed HdrHistogram a benchmark can
 * merge.
 */
final class ReplicationDelayService implements HttpService {
    private final ReplicationDelays delays;
    private final ObjectMapper json;

    ReplicationDelayService(ReplicationDelays delays, ObjectMapper json) {
        this.delays = delays;
        this.json = json;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        ObjectNode body = json.createObjectNode();
        delays.takeInterval().forEach((origin, histogram) -> {
            ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
            int length = histogram.encodeIntoCompressedByteBuffer(buffer);
            body.putObject(origin)
                    .put("count", histogram.getTotalCount())
                    .put("p50Millis", histogram.getValueAtPercentile(50) / 1000.0)
                    .put("p99Millis", histogram.getValueAtPercentile(99) / 1000.0)
                    .put("maxMillis", histogram.getMaxValue() / 1000.0)
                    .put("histogram", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length)));
        });
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, body.toString());
    }
}
