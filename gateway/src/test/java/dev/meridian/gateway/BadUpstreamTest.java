package dev.meridian.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.stream.ClosedStreamException;
import dev.meridian.gateway.proxy.ProxyService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A region that passes its health checks but answers requests badly: the gateway's client gets a clean answer
 * (502, or a read served by a healthy region), never a hang, a 500, or a cut-short body passed off as whole.
 */
class BadUpstreamTest {
    private static final String NOT_HTTP = "SPDY/9 banana\r\n\r\n";
    private static final String CUT_SHORT = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly these";

    private BrokenRegion broken;
    private final FakeRegion good = new FakeRegion("good");
    private Gateway gateway;
    private WebClient client;

    private void start(String brokenReply) {
        broken = new BrokenRegion("broken", brokenReply);
        gateway = Gateway.start(new GatewayConfig(0, null,
                List.of(new GatewayConfig.Region("broken", broken.target().endpoint().toString()),
                        new GatewayConfig.Region("good", good.target().endpoint().toString())),
                new GatewayConfig.Health("/health", Duration.ofMillis(100), Duration.ofMillis(500), 2, 2, true),
                null, null, null).validate());
        client = WebClient.builder("http://127.0.0.1:" + gateway.port()).responseTimeout(Duration.ofSeconds(10))
                .build();
        await().atMost(5, TimeUnit.SECONDS).until(() -> gateway.regions().ranked().size() == 2);
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        broken.close();
        good.close();
    }

    @Test
    void aReadAnsweredWithSomethingThatIsNotHttpIsServedByTheNextRegion() {
        start(NOT_HTTP);
        AggregatedHttpResponse read = toBroken(HttpMethod.GET);
        assertThat(read.status().code()).isEqualTo(200);
        assertThat(read.headers().get(ProxyService.SERVED_BY)).isEqualTo("good");
        assertThat(broken.requests.get()).isEqualTo(1);
    }

    @Test
    void aWriteAnsweredWithSomethingThatIsNotHttpGets502AndIsNotSentElsewhere() {
        start(NOT_HTTP);
        AggregatedHttpResponse write = toBroken(HttpMethod.POST);
        assertThat(write.status().code()).isEqualTo(502);
        assertThat(write.contentUtf8()).contains("region broken did not answer")
                .contains("may or may not have taken effect");
        assertThat(good.requests.get()).isZero();
    }

    @Test
    void aBodyCutShortReachesTheClientAsAnAbortedResponseNotAWholeOne() {
        start(CUT_SHORT);
        // The status line has gone to the client already, so the read cannot move to another region.
        assertThatThrownBy(() -> toBroken(HttpMethod.GET)).hasRootCauseInstanceOf(ClosedStreamException.class);
        assertThat(good.requests.get()).isZero();
        // The gateway itself is unharmed.
        AggregatedHttpResponse next = client.execute(RequestHeaders.builder(HttpMethod.GET, "/echo")
                .set("x-meridian-region", "good").build()).aggregate().join();
        assertThat(next.status().code()).isEqualTo(200);
    }

    private AggregatedHttpResponse toBroken(HttpMethod method) {
        return client.execute(RequestHeaders.builder(method, "/echo").set("x-meridian-region", "broken").build())
                .aggregate().join();
    }
}
