package dev.meridian.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ChaosCommandTest {
    private HttpServer control;
    private final BlockingQueue<String> calls = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws IOException {
        control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        control.createContext("/links", exchange -> {
            calls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        control.start();
    }

    @AfterEach
    void stop() {
        control.stop(0);
    }

    private int chaos(String... args) {
        String url = "http://127.0.0.1:" + control.getAddress().getPort();
        String[] all = new String[args.length + 2];
        all[0] = "--control";
        all[1] = url;
        System.arraycopy(args, 0, all, 2, args.length);
        return new CommandLine(new ChaosCommand()).execute(all);
    }

    @Test
    void actionsBecomeControlApiCalls() {
        assertThat(chaos("cut", "us-east-1", "eu-west-1")).isZero();
        assertThat(chaos("delay", "us-east-1", "eu-west-1", "150")).isZero();

        assertThat(calls).containsExactly(
                "POST /links/us-east-1/eu-west-1/cut", "POST /links/us-east-1/eu-west-1/delay?ms=150");
    }

    @Test
    void malformedCommandsAreUsageErrorsThatCallNothing() {
        assertThat(chaos("delay", "us-east-1", "eu-west-1")).isEqualTo(2);
        assertThat(chaos("cut", "us-east-1", "eu-west-1", "5")).isEqualTo(2);
        assertThat(chaos("explode", "us-east-1", "eu-west-1")).isEqualTo(2);
        assertThat(calls).isEmpty();
    }
}
