package dev.meridian.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * DynamoDB Local (Amazon's {@code com.amazonaws:DynamoDBLocal}, in memory) in its own JVM on 127.0.0.1, the peer
 * the SDK benchmark measures Meridian against. Telemetry is off, so it never reaches for the network.
 */
final class DynamoDbLocalProcess implements AutoCloseable {
    private static final String MAIN = "com.amazonaws.services.dynamodbv2.local.main.ServerRunner";
    private static final String NATIVE_LIBRARY = "libsqlite4java-linux-amd64.so";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final URI endpoint;

    private DynamoDbLocalProcess(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /**
     * Starts DynamoDB Local with the given heap on this JVM's class path, its output appended to {@code logFile},
     * and waits until its port accepts connections.
     */
    static DynamoDbLocalProcess start(Path nativeDir, String heap, Path logFile) throws IOException, InterruptedException {
        if (!Files.isRegularFile(nativeDir.resolve(NATIVE_LIBRARY))) {
            throw new IllegalStateException("no " + NATIVE_LIBRARY + " in " + nativeDir
                    + "; build the bench module first: mvn -pl bench -am package -DskipTests");
        }
        int port = freePort();
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-Djava.library.path=" + nativeDir.toAbsolutePath(),
                // DynamoDB Local's embedded AWS SDK and Jetty log through SLF4J; keep them at WARN as Meridian is.
                "-Dlogback.configurationFile=dynamodb-local-logback.xml",
                "-cp", System.getProperty("java.class.path"),
                MAIN, "-inMemory", "-disableTelemetry", "-port", Integer.toString(port));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().put("DDB_LOCAL_TELEMETRY", "0");
        var local = new DynamoDbLocalProcess(builder.start(), URI.create("http://127.0.0.1:" + port));
        try {
            local.awaitListening(port, logFile);
            return local;
        } catch (IOException | InterruptedException | RuntimeException e) {
            local.close();
            throw e;
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
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
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
                throw new IllegalStateException(
                        "DynamoDB Local exited with code " + process.exitValue() + "; see " + logFile);
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("DynamoDB Local did not listen on port " + port + " within " + START_TIMEOUT
                + "; see " + logFile);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
