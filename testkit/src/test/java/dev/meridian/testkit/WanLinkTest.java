package dev.meridian.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WanLinkTest {
    private EchoServer echo;
    private WanLink link;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new EchoServer();
    }

    @AfterEach
    void stop() throws IOException {
        if (link != null) {
            link.close();
        }
        echo.close();
    }

    private WanLink open(Duration forward, Duration backward) throws IOException {
        link = WanLink.builder("us-east-1", "eu-west-1", echo.address()).delays(forward, backward).open();
        return link;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(link.address().getAddress(), link.address().getPort());
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(5_000);
        return socket;
    }

    @Test
    void eachDirectionIsDelayedByItsOwnOneWayDelay() throws Exception {
        open(Duration.ofMillis(150), Duration.ofMillis(60));
        try (Socket socket = connect()) {
            for (int round = 0; round < 3; round++) {
                long sent = System.nanoTime();
                socket.getOutputStream().write(round);
                long arrived = echo.arrivalNanos.poll(5, TimeUnit.SECONDS);
                assertThat(socket.getInputStream().read()).isEqualTo(round);
                long back = System.nanoTime();

                assertThat(Duration.ofNanos(arrived - sent)).isBetween(Duration.ofMillis(150), Duration.ofMillis(1_000));
                assertThat(Duration.ofNanos(back - arrived)).isBetween(Duration.ofMillis(60), Duration.ofMillis(1_000));
            }
        }
    }

    @Test
    void setDelayAppliesToBytesSentAfterwards() throws Exception {
        open(Duration.ZERO, Duration.ZERO);
        try (Socket socket = connect()) {
            link.setDelay(Duration.ofMillis(120), Duration.ZERO);
            long sent = System.nanoTime();
            socket.getOutputStream().write(1);
            assertThat(socket.getInputStream().read()).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(120));
        }
    }

    @Test
    void cutResetsOpenConnectionsAndNewOnesUntilHealed() throws Exception {
        open(Duration.ofMillis(5), Duration.ofMillis(5));
        try (Socket socket = connect()) {
            socket.getOutputStream().write(7);
            assertThat(socket.getInputStream().read()).isEqualTo(7);

            link.cut();

            assertThat(link.state()).isEqualTo(LinkState.CUT);
            assertClosedByLink(socket);
        }
        try (Socket refused = connect()) {
            assertClosedByLink(refused);
        }

        link.heal();

        try (Socket socket = connect()) {
            socket.getOutputStream().write(8);
            assertThat(socket.getInputStream().read()).isEqualTo(8);
        }
    }

    @Test
    void blackholeHoldsBytesOnOpenConnectionsUntilHealed() throws Exception {
        open(Duration.ofMillis(5), Duration.ofMillis(5));
        try (Socket socket = connect()) {
            socket.getOutputStream().write(1);
            assertThat(socket.getInputStream().read()).isEqualTo(1);

            link.blackhole();
            socket.getOutputStream().write(2);
            socket.setSoTimeout(500);

            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(echo.arrivalNanos).hasSize(1);

            link.heal();
            socket.setSoTimeout(5_000);
            assertThat(socket.getInputStream().read()).isEqualTo(2);
        }
    }

    @Test
    void blackholeAcceptsNewConnectionsButCarriesNothing() throws Exception {
        open(Duration.ZERO, Duration.ZERO);
        link.blackhole();
        try (Socket socket = connect()) {
            socket.getOutputStream().write(3);
            socket.setSoTimeout(400);
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            link.heal();
            socket.setSoTimeout(5_000);
            assertThat(socket.getInputStream().read()).isEqualTo(3);
        }
    }

    @Test
    void jitterNeverReordersBytesWithinAConnection() throws Exception {
        open(Duration.ofMillis(10), Duration.ofMillis(10));
        link.setJitter(Duration.ofMillis(10));
        int count = 2_000;
        try (Socket socket = connect()) {
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        socket.getOutputStream().write(ByteBuffer.allocate(4).putInt(i).array());
                        if (i % 100 == 0) {
                            Thread.sleep(2);
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            ByteBuffer received = ByteBuffer.wrap(socket.getInputStream().readNBytes(count * 4));
            writer.join();
            for (int i = 0; i < count; i++) {
                assertThat(received.getInt()).isEqualTo(i);
            }
        }
    }

    /** Long reads hand their buffers over and get them back once written; short ones are copied out. */
    @Test
    void bulkBytesInShortAndLongWritesComeBackIntact() throws Exception {
        open(Duration.ofMillis(5), Duration.ofMillis(5));
        var random = new Random(7);
        byte[] payload = new byte[24 << 20];
        random.nextBytes(payload);
        try (Socket socket = connect()) {
            Thread writer = new Thread(() -> {
                try {
                    int sent = 0;
                    while (sent < payload.length) {
                        int length = Math.min(payload.length - sent, random.nextBoolean()
                                ? 1 + random.nextInt(64) : 1 + random.nextInt(256 * 1024));
                        socket.getOutputStream().write(payload, sent, length);
                        sent += length;
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            byte[] received = socket.getInputStream().readNBytes(payload.length);
            writer.join();
            assertThat(received.length).isEqualTo(payload.length);
            assertThat(Arrays.mismatch(received, payload)).as("offset of the first byte that differs").isEqualTo(-1);
        }
    }

    @Test
    void halfCloseReachesTheTargetAndItsAnswerStillComesBack() throws Exception {
        open(Duration.ofMillis(20), Duration.ofMillis(20));
        try (Socket socket = connect()) {
            socket.getOutputStream().write("hello".getBytes());
            socket.shutdownOutput();

            InputStream in = socket.getInputStream();
            var all = new ByteArrayOutputStream();
            in.transferTo(all);

            assertThat(all.toString()).isEqualTo("hellobye");
            assertThat(echo.events.poll(5, TimeUnit.SECONDS)).isEqualTo("accepted");
            assertThat(echo.events.poll(5, TimeUnit.SECONDS)).isEqualTo("eof");
        }
        assertThat(waitForNoConnections()).isTrue();
    }

    @Test
    void bandwidthCapSlowsBulkTransfer() throws Exception {
        open(Duration.ZERO, Duration.ZERO);
        link.setBandwidth(200_000);
        byte[] payload = new byte[100_000];
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            Thread writer = new Thread(() -> {
                try {
                    socket.getOutputStream().write(payload);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            socket.getInputStream().readNBytes(payload.length);
            writer.join();
            // 100 kB at 200 kB/s is 0.5 s one way, and the echo takes the same capped route back.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
        }
    }

    @Test
    void unreachableTargetResetsTheClient() throws Exception {
        // A port held by a bound, unconnected socket: nothing listens there, and nothing else can take it (a freed
        // port could be handed out again, even as the link's own source port).
        try (Socket holder = new Socket()) {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            link = WanLink.builder("us-east-1", "eu-west-1", (InetSocketAddress) holder.getLocalSocketAddress())
                    .delays(Duration.ZERO, Duration.ZERO).open();
            try (Socket socket = connect()) {
                assertClosedByLink(socket);
            }
        }
    }

    private boolean waitForNoConnections() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (link.status().connections() == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** A connection the link closed either reads end of stream or fails with a reset; it never hangs. */
    private static void assertClosedByLink(Socket socket) throws IOException {
        socket.setSoTimeout(5_000);
        try {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection was not closed by the link", e);
        } catch (IOException reset) {
            assertThat(reset).hasMessageContaining("reset");
        }
    }
}
