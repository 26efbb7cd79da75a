package dev.meridian.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.fabric.Fabric;
import dev.meridian.fabric.FabricStatus;

/**
 * {@code GET /health}: 200 while the region serves, with whether its replication stream to each peer is up
 * ({@code "peers": {"eu-west-1": "connected"}}), so a gateway can drain a region cut off from all of them.
 */
final class HealthService implements HttpService {
    private final String region;
    private final Fabric fabric;
    private final ObjectMapper json;

    HealthService(String region, Fabric fabric, ObjectMapper json) {
        this.region = region;
        this.fabric = fabric;
        this.json = json;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws JsonProcessingException {
        ObjectNode health = json.createObjectNode().put("status", "UP").put("region", region);
        ObjectNode peers = health.putObject("peers");
        for (FabricStatus.PeerStatus peer : fabric.status().peers()) {
            peers.put(peer.name(), "STREAMING".equals(peer.state()) ? "connected" : "disconnected");
        }
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, json.writeValueAsString(health));
    }
}
