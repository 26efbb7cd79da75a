package dev.meridian.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.fabric.Fabric;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * {@code GET /_meridian/replication-delay}: the commit-to-apply delay of every entry replicated into this region
 * since the previous call, per origin, as percentiles and as a compressed HdrHistogram a benchmark can merge.
 */
final class ReplicationDelayService implements HttpService {
    private final Fabric fabric;
    private final ObjectMapper json;

    ReplicationDelayService(Fabric fabric, ObjectMapper json) {
        this.fabric = fabric;
        this.json = json;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        ObjectNode body = json.createObjectNode();
        fabric.replicationDelays().takeInterval().forEach((origin, histogram) -> {
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
