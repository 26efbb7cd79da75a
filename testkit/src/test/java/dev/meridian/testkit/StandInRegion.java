package dev.meridian.testkit;

import com.sun.net.httpserver.HttpServer;
import dev.meridian.core.RegionConfig;
import dev.meridian.core.RegionConfigLoader;
import dev.meridian.core.SkewedClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** Stands in for {@code meridian region} in launcher tests: reads its config and answers {@code /health}. */
public final class StandInRegion {
    private StandInRegion() {}

    public static void main(String[] args) throws IOException {
        RegionConfig config = RegionConfigLoader.load(Path.of(args[2]));
        if (Files.exists(config.dataDir().resolve("refuse-to-start"))) {
            System.out.println("stand-in region " + config.region() + " refusing to start");
            System.exit(3);
        }
        // Where the launcher told this start to read its clock skew, for the launcher tests to check.
        Files.writeString(config.dataDir().resolve("clock-skew-file"), System.getProperty(SkewedClock.FILE_PROPERTY, ""));
        Path starts = config.dataDir().resolve("starts");
        Files.writeString(starts, Files.exists(starts) ? Files.readString(starts) + "x" : "x");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", config.httpPort()), 0);
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        System.out.println("stand-in region " + config.region() + " up, peers " + config.peers());
    }
}
