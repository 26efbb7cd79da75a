package dev.meridian.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StatusCommandTest {
    private static final String STATUS = """
            {"region":"us-east-1","headSeq":120,"firstSeq":1,
             "peers":[{"name":"eu-west-1","state":"STREAMING","ackedSeq":117,"lagEntries":3,"lagSeconds":0.08,
                       "beyondRetention":false},
                      {"name":"ap-southeast-1","state":"DISCONNECTED","ackedSeq":20,"lagEntries":100,
                       "lagSeconds":31.5,"beyondRetention":true}],
             "applied":{"eu-west-1":55},
             "sql":{"role":"primary","state":"running","primary":"us-east-1","epoch":2,"serverPort":8191,
                    "standbys":[{"region":"eu-west-1","state":"streaming","lagBytes":1024,"lagSeconds":0.09},
                                {"region":"ap-southeast-1","state":"disconnected","lagBytes":null,"lagSeconds":null}],
                    "lastFailover":{"from":"ap-southeast-1","to":"us-east-1","epoch":2,"planned":false,
                                    "rpoBytesEstimate":4096,"rpoBytesMeasured":null,"rpoTransactionsMeasured":null}}}""";

    private HttpServer region;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream originalOut;

    @BeforeEach
    void start() throws IOException {
        region = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        region.createContext("/_meridian/status", exchange -> {
            byte[] body = STATUS.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        region.start();
        originalOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setOut(originalOut);
        region.stop(0);
    }

    @Test
    void showsEachPeersLagAndNamesUnreachableRegions() throws IOException {
        String up = "http://127.0.0.1:" + region.getAddress().getPort();
        String down = "http://127.0.0.1:" + unusedPort();

        int exit = new CommandLine(new StatusCommand()).execute("--endpoints", up + "," + down);

        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).isEqualTo(1);
        assertThat(table).containsPattern("us-east-1 +" + up + " +up +120 +eu-west-1=55");
        assertThat(table).containsPattern("us-east-1 +eu-west-1 +STREAMING +117 +3 +0\\.08 s");
        assertThat(table).containsPattern("ap-southeast-1 +DISCONNECTED .*beyond retention");
        assertThat(table).containsPattern(down + " +UNREACHABLE .*connection refused");
        assertThat(table).contains("SQL REPLICATION (primary us-east-1 in epoch 2, PostgreSQL port 8191");
        assertThat(table).contains("last change of primary: ap-southeast-1 -> us-east-1 (epoch 2, failover,"
                + " lost WAL estimate 4096 bytes)");
        assertThat(table).containsPattern("eu-west-1 +streaming +1024 +0\\.09 s");
        assertThat(table).containsPattern("ap-southeast-1 +disconnected +- +-");
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
