package dev.meridian.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A peer server (DynamoDB Local, s3proxy) in its own JVM, listening on 127.0.0.1: started, awaited until its port
 * accepts connections, and stopped with SIGTERM (SIGKILL after 10 s).
 */
final class PeerJvm implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final URI endpoint;

    private PeerJvm(String name, Process process, URI endpoint) {
        this.name = name;
        this.process = process;
        this.endpoint = endpoint;
    }

    /**
     * Runs {@code java <jvmArgs>} (this JVM's {@code java}) with {@code environment} added, its output appended to
     * {@code logFile}, and waits until {@code port} accepts connections.
     */
    static PeerJvm start(String name, List<String> jvmArgs, Map<String, String> environment, int port, Path logFile)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        var peer = new PeerJvm(name, builder.start(), URI.create("http://127.0.0.1:" + port));
        try {
            peer.awaitListening(port, logFile);
            return peer;
        } catch (IOException | InterruptedException | RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    /** A port on 127.0.0.1 nothing listens on now, for a peer to take. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    URI endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitListening(int port, Path logFile) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; see " + logFile);
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException(name + " did not listen on port " + port + " within " + START_TIMEOUT
                + "; see " + logFile);
    }
}
