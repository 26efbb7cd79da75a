package dev.meridian.bench;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * s3proxy ({@code org.gaul:s3proxy}) with jclouds' filesystem backend in its own JVM on 127.0.0.1, the peer the S3
 * benchmark measures Meridian against. It checks SigV2 and SigV4 signatures against the same credentials Meridian's
 * regions accept, so both servers get the same requests.
 *
 * <p>Its class path is {@code target/s3proxy-lib}, where the build copies s3proxy and its dependencies, never this
 * module's: those must stay off the class path the region JVMs share (see bench/pom.xml).
 */
final class S3ProxyProcess implements AutoCloseable {
    private static final String MAIN = "org.gaul.s3proxy.Main";
    /** The build copies it last, so it is there only when the rest is too. */
    private static final String JAR = "s3proxy.jar";
    /** s3proxy logs every request at DEBUG unless told otherwise, which slows it about tenfold. */
    private static final String LOGBACK = "/s3proxy-logback.xml";

    private final PeerJvm jvm;

    private S3ProxyProcess(PeerJvm jvm) {
        this.jvm = jvm;
    }

    /**
     * Starts s3proxy with the given heap in {@code dir}, where it keeps its objects ({@link #dataDir}), its
     * properties file and its log ({@link #logFile}, appended to), and waits until its port accepts connections.
     */
    static S3ProxyProcess start(Path libDir, String heap, Path dir) throws IOException, InterruptedException {
        if (!Files.isRegularFile(libDir.resolve(JAR))) {
            throw new IllegalStateException("no " + JAR + " in " + libDir
                    + "; build the bench module first: mvn -pl bench -am package -DskipTests");
        }
        URL logback = S3ProxyProcess.class.getResource(LOGBACK);
        if (logback == null) {
            throw new IllegalStateException("no " + LOGBACK + " among the bench module's resources");
        }
        Files.createDirectories(dataDir(dir));
        int port = PeerJvm.freePort();
        Path properties = dir.resolve("s3proxy.properties");
        writeProperties(properties, port, dataDir(dir));
        List<String> jvmArgs = List.of(
                "-Xmx" + heap,
                // A URL, since the resource is on this JVM's class path, not on s3proxy's.
                "-Dlogback.configurationFile=" + logback,
                "-cp", libDir.toAbsolutePath() + "/*",
                MAIN, "--properties", properties.toString());
        return new S3ProxyProcess(PeerJvm.start("s3proxy", jvmArgs, Map.of(), port, logFile(dir)));
    }

    /** Where s3proxy started in {@code dir} keeps its buckets and objects. */
    static Path dataDir(Path dir) {
        return dir.resolve("data");
    }

    /** Where the output of s3proxy started in {@code dir} goes. */
    static Path logFile(Path dir) {
        return dir.resolve("s3proxy.log");
    }

    /** Where the build put s3proxy's class path: {@code target/s3proxy-lib} beside this module's classes or jar. */
    static Path libDir() throws URISyntaxException {
        String configured = System.getProperty("meridian.bench.s3proxyLib");
        if (configured != null) {
            return Path.of(configured);
        }
        Path code = Path.of(S3ProxyProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return code.getParent().resolve("s3proxy-lib");
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

    private static void writeProperties(Path file, int port, Path dataDir) throws IOException {
        var properties = new Properties();
        properties.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", SdkClients.ACCESS_KEY);
        properties.setProperty("s3proxy.credential", SdkClients.SECRET_KEY);
        properties.setProperty("jclouds.provider", "filesystem");
        properties.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
        try (Writer out = Files.newBufferedWriter(file)) {
            properties.store(out, "meridian bench s3: the peer s3proxy");
        }
    }
}
