package dev.meridian.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ClientRequestContextCaptor;
import com.linecorp.armeria.client.Clients;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpRequestWriter;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.SessionProtocol;
import dev.meridian.gateway.proxy.ProxyService;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway in front of three stand-in regions: which region serves, and what happens when one fails. */
class GatewayRoutingTest {
    private FakeRegion near;
    private FakeRegion mid;
    private FakeRegion far;
    private Gateway gateway;
    private WebClient client;

    @BeforeEach
    void start() {
        near = new FakeRegion("near");
        mid = new FakeRegion("mid");
        far = new FakeRegion("far");
        mid.healthDelay.set(Duration.ofMillis(30));
        far.healthDelay.set(Duration.ofMillis(60));
        startGateway(Duration.ofMillis(100));
    }

    private void startGateway(Duration probeInterval) {
        gateway = Gateway.start(new GatewayConfig(0, null,
                List.of(region(mid), region(far), region(near)),
                new GatewayConfig.Health("/health", probeInterval, Duration.ofMillis(500), 2, 2, true),
                null, null, null).validate());
        client = WebClient.builder("http://127.0.0.1:" + gateway.port()).responseTimeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterEach
    void stop() {
        gateway.close();
        List.of(near, mid, far).forEach(FakeRegion::close);
    }

    @Test
    void sendsAClientToTheHealthyRegionOfLowestLatencyAndKeepsTheClientsHost() {
        AggregatedHttpResponse res = get("alice");
        assertThat(res.contentUtf8()).isEqualTo("near 127.0.0.1:" + gateway.port());
        assertThat(res.headers().get(ProxyService.SERVED_BY)).isEqualTo("near");
    }

    @Test
    void aClientStaysInItsRegionWhileItIsHealthyThoughAnotherBecomesFaster() {
        assertThat(servedBy("alice")).isEqualTo("near");
        near.healthDelay.set(Duration.ofMillis(90));
        await().atMost(5, TimeUnit.SECONDS).until(() -> servedBy(newClient()).equals("mid"));
        assertThat(servedBy("alice")).isEqualTo("near");
    }

    @Test
    void readsMoveToTheNextRegionAtOnceWhenARegionDiesAndReturnWhenItRecovers() {
        assertThat(servedBy("alice")).isEqualTo("near");
        near.stop();
        // The first read after the death finds the connection refused and is retried on the next region.
        assertThat(get("alice").status().code()).isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            assertThat(servedBy("alice")).isEqualTo("mid");
        }
        near.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> servedBy("alice").equals("near"));
    }

    @Test
    void aWriteThatCannotConnectIsNotRetriedButTheNextOneGoesElsewhere() {
        // Probes too rare to notice the death first: the write itself finds the region gone.
        gateway.close();
        startGateway(Duration.ofSeconds(30));
        assertThat(servedBy("alice")).isEqualTo("near");
        near.stop();
        AggregatedHttpResponse refused = post("alice");
        assertThat(refused.status().code()).isEqualTo(502);
        assertThat(refused.contentUtf8()).contains("near could not be reached");
        assertThat(mid.requests.get() + far.requests.get()).isZero();
        AggregatedHttpResponse next = post("alice");
        assertThat(next.status().code()).isEqualTo(200);
        assertThat(next.headers().get(ProxyService.SERVED_BY)).isEqualTo("mid");
    }

    @Test
    void aRegionCutOffFromItsPeersIsDrainedWhileAnotherCanServe() {
        near.peers.set("{\"mid\":\"disconnected\",\"far\":\"disconnected\"}");
        await().atMost(5, TimeUnit.SECONDS).until(() -> servedBy(newClient()).equals("mid"));
        mid.peers.set("{\"near\":\"disconnected\"}");
        far.peers.set("{\"near\":\"disconnected\"}");
        // Every region isolated: draining would leave nothing, so all serve again.
        await().atMost(5, TimeUnit.SECONDS).until(() -> servedBy(newClient()).equals("near"));
    }

    @Test
    void aPinHeaderPicksTheRegionAndAnUnknownOneIsRefused() {
        AggregatedHttpResponse pinned = client.execute(RequestHeaders.builder(HttpMethod.GET, "/echo")
                .set("x-meridian-region", "far").build()).aggregate().join();
        assertThat(pinned.headers().get(ProxyService.SERVED_BY)).isEqualTo("far");
        AggregatedHttpResponse unknown = client.execute(RequestHeaders.builder(HttpMethod.GET, "/echo")
                .set("x-meridian-region", "moon-1").build()).aggregate().join();
        assertThat(unknown.status().code()).isEqualTo(400);
        assertThat(unknown.contentUtf8()).contains("no region named 'moon-1'");
    }

    @Test
    void withNoHealthyRegionTheGatewayAnswers503WithRetryAfter() {
        List.of(near, mid, far).forEach(FakeRegion::stop);
        await().atMost(5, TimeUnit.SECONDS).until(() -> gateway.regions().ranked().isEmpty());
        AggregatedHttpResponse res = get("alice");
        assertThat(res.status().code()).isEqualTo(503);
        assertThat(res.headers().get("retry-after")).isEqualTo("1");
    }

    @Test
    void anUploadStreamsThroughWithoutWaitingForItsEnd() throws Exception {
        HttpRequestWriter upload = HttpRequest.streaming(RequestHeaders.builder(HttpMethod.POST, "/upload")
                .set("x-meridian-affinity", "alice").build());
        CompletableFuture<AggregatedHttpResponse> response = client.execute(upload).aggregate();
        upload.write(HttpData.wrap(new byte[64 * 1024]));
        // The region sees the first bytes while the client has not finished (or even written more).
        near.firstUploadBytes.get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 99; i++) {
            upload.write(HttpData.wrap(new byte[64 * 1024]));
        }
        upload.close();
        assertThat(response.get(10, TimeUnit.SECONDS).contentUtf8()).isEqualTo("near " + 100 * 64 * 1024);
    }

    @Test
    void servesHttpsAndHttp2WhenConfiguredWithACertificate() {
        gateway.close();
        gateway = Gateway.start(new GatewayConfig(0, new GatewayConfig.Https(0, null, null, true),
                List.of(region(near)), null, null, null, null).validate());
        WebClient tls = WebClient.builder("https://127.0.0.1:" + gateway.httpsPort().orElseThrow())
                .factory(ClientFactory.insecure()).build();
        AggregatedHttpResponse res;
        try (ClientRequestContextCaptor captor = Clients.newContextCaptor()) {
            res = tls.get("/echo").aggregate().join();
            assertThat(captor.get().log().whenComplete().join().sessionProtocol()).isEqualTo(SessionProtocol.H2);
        }
        assertThat(res.contentUtf8()).startsWith("near ");
        assertThat(res.headers().get(ProxyService.SERVED_BY)).isEqualTo("near");
    }

    @Test
    void aMalformedRequestGets400AndNeverReachesARegion() throws Exception {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
            raw.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: a\r\nContent-Length: banana\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new String(raw.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 400");
        }
        assertThat(near.requests.get() + mid.requests.get() + far.requests.get()).isZero();
    }

    @Test
    void anExpectContinueIsAnsweredByTheGatewayAndNotPassedOn() throws Exception {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write(("PUT /expect HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(raw.getInputStream().readNBytes(25), StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            raw.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            String response = new String(raw.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 200").endsWith("expect=null body=hello");
        }
    }

    private int clients;

    /** A client the gateway has not seen, so it gets the best region of the moment. */
    private String newClient() {
        return "client-" + clients++;
    }

    private String servedBy(String who) {
        return get(who).headers().get(ProxyService.SERVED_BY);
    }

    private AggregatedHttpResponse get(String who) {
        return client.execute(RequestHeaders.builder(HttpMethod.GET, "/echo").set("x-meridian-affinity", who).build())
                .aggregate().join();
    }

    private AggregatedHttpResponse post(String who) {
        return client.execute(RequestHeaders.builder(HttpMethod.POST, "/echo").set("x-meridian-affinity", who)
                .build(), "payload").aggregate().join();
    }

    private static GatewayConfig.Region region(FakeRegion region) {
        return new GatewayConfig.Region(region.name, region.target().endpoint().toString());
    }
}
