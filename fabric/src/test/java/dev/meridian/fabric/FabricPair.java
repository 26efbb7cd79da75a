package dev.meridian.fabric;

import dev.meridian.core.RegionConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Two real fabrics on loopback ports replicating to each other, for in-process fabric tests. */
final class FabricPair implements AutoCloseable {
    final Path root;
    final int portA = freePort();
    final int portB = freePort();
    final long maxLogEntries;
    Fabric a;
    Fabric b;

    FabricPair(Path root, long maxLogEntries) {
        this.root = root;
        this.maxLogEntries = maxLogEntries;
    }

    FabricPair start() {
        a = open("region-a", portA, "region-b", portB, Clock.systemUTC());
        b = open("region-b", portB, "region-a", portA, Clock.systemUTC());
        return this;
    }

    Fabric open(String region, int port, String peer, int peerPort, Clock clock) {
        var config = new RegionConfig(region, root.resolve(region), 0, port,
                List.of(new RegionConfig.Peer(peer, "127.0.0.1:" + peerPort)),
                List.of(new RegionConfig.AccessKey("k", "s")),
                new RegionConfig.FabricSettings(maxLogEntries, 64, Duration.ofMillis(100), Duration.ofMillis(300)))
                .validate();
        return Fabric.open(config, new SimpleMeterRegistry(), clock);
    }

    static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }
}
