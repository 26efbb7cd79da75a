package dev.meridian.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** Reads one region's admin API: replication status and the replication-delay histograms. */
final class RegionAdmin {
    // HTTP/1.1: an idle HTTP/2 connection the region closes with GOAWAY fails the next request instead of retrying it.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;

    RegionAdmin(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** Entries this region's log holds that some peer has not acknowledged yet, summed over peers. */
    long unacknowledgedEntries() throws IOException, InterruptedException {
        long lag = 0;
        for (JsonNode peer : get("/_meridian/status").path("peers")) {
            lag += peer.path("lagEntries").asLong();
        }
        return lag;
    }

    /**
     * The commit-to-apply delays (microseconds) of every entry replicated into this region since the previous
     * call, per origin region; the call also resets them.
     */
    Map<String, Histogram> takeReplicationDelays() throws IOException, InterruptedException {
        return takeDelays("/_meridian/replication-delay");
    }

    /**
     * The delays (microseconds) from each object's commit in its origin region until its bytes were durable in this
     * region, of every object that became so since the previous call, per origin region; the call also resets them.
     */
    Map<String, Histogram> takeObjectReplicationDelays() throws IOException, InterruptedException {
        return takeDelays("/_meridian/objects/replication-delay");
    }

    /** Reads an endpoint in the shape of {@code /_meridian/replication-delay}: origin to a compressed histogram. */
    private Map<String, Histogram> takeDelays(String path) throws IOException, InterruptedException {
        var delays = new TreeMap<String, Histogram>();
        for (var origin : get(path).properties()) {
            byte[] bytes = Base64.getDecoder().decode(origin.getValue().path("histogram").asText());
            try {
                delays.put(origin.getKey(), Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0));
            } catch (DataFormatException e) {
                throw new IOException("undecodable histogram for origin " + origin.getKey() + " in GET " + path, e);
            }
        }
        return delays;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + request.uri() + " answered HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }
}
