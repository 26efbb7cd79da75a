package dev.meridian.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB Local (Amazon's {@code com.amazonaws:DynamoDBLocal}, in memory) in its own JVM on 127.0.0.1, the peer
 * the SDK benchmark measures Meridian against. Telemetry is off, so it never reaches for the network.
 */
final class DynamoDbLocalProcess implements AutoCloseable {
    private static final String MAIN = "com.amazonaws.services.dynamodbv2.local.main.ServerRunner";
    private static final String NATIVE_LIBRARY = "libsqlite4java-linux-amd64.so";

    private final PeerJvm jvm;

    private DynamoDbLocalProcess(PeerJvm jvm) {
        this.jvm = jvm;
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
        int port = PeerJvm.freePort();
        List<String> jvmArgs = List.of(
                "-Xmx" + heap,
                "-Djava.library.path=" + nativeDir.toAbsolutePath(),
                // DynamoDB Local's embedded AWS SDK and Jetty log through SLF4J; keep them at WARN as Meridian is.
                "-Dlogback.configurationFile=dynamodb-local-logback.xml",
                "-cp", System.getProperty("java.class.path"),
                MAIN, "-inMemory", "-disableTelemetry", "-port", Integer.toString(port));
        return new DynamoDbLocalProcess(
                PeerJvm.start("DynamoDB Local", jvmArgs, Map.of("DDB_LOCAL_TELEMETRY", "0"), port, logFile));
    }

    URI endpoint() {
        return jvm.endpoint();
    }

    long pid() {
        return jvm.pid();
    }

    @Override
    public void close() {
        jvm.close();
    }
}
