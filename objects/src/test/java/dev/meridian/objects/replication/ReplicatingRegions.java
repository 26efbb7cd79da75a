package dev.meridian.objects.replication;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.server.HttpService;
import dev.meridian.core.RegionConfig;
import dev.meridian.fabric.Fabric;
import dev.meridian.objects.Bucket;
import dev.meridian.objects.ObjectContent;
import dev.meridian.objects.ObjectStore;
import dev.meridian.objects.StoredVersion;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Regions in one JVM, each a real fabric, object store and object replication, replicating over loopback sockets.
 * A cut link is a peer address nobody listens on.
 */
final class ReplicatingRegions implements AutoCloseable {
    private final Path root;
    private final Map<String, Integer> peerPorts = new LinkedHashMap<>();
    private final Set<String> cutLinks = new HashSet<>();
    private final int deadPort = freePort();
    private final List<Region> opened = new ArrayList<>();

    ReplicatingRegions(Path root, String... names) {
        this.root = root;
        for (String name : names) {
            peerPorts.put(name, freePort());
        }
    }

    /** Regions opened from now on as {@code from} cannot reach {@code to} directly. */
    ReplicatingRegions cut(String from, String to) {
        cutLinks.add(from + ">" + to);
        return this;
    }

    Region open(String name, ReplicationSettings settings) {
        return open(name, settings, service -> service);
    }

    /** Opens region {@code name}, serving peers through {@code servePeers}, replication started. */
    Region open(String name, ReplicationSettings settings, UnaryOperator<HttpService> servePeers) {
        List<RegionConfig.Peer> peers = peerPorts.keySet().stream().filter(peer -> !peer.equals(name))
                .map(peer -> new RegionConfig.Peer(peer, "127.0.0.1:"
                        + (cutLinks.contains(name + ">" + peer) ? deadPort : peerPorts.get(peer))))
                .toList();
        var config = new RegionConfig(name, root.resolve(name), 0, peerPorts.get(name), peers,
                List.of(new RegionConfig.AccessKey("k", "s")),
                new RegionConfig.FabricSettings(1_000_000L, 64, Duration.ofMillis(100), Duration.ofMillis(300)))
                .validate();
        var meters = new SimpleMeterRegistry();
        // The fabric's peer server takes its services before the replication that serves blobs exists.
        var peerService = new AtomicReference<HttpService>();
        HttpService lateBound = (ctx, req) -> peerService.get().serve(ctx, req);
        Fabric fabric = Fabric.open(config, meters, Clock.systemUTC(), Map.of(ObjectReplication.PEER_ROUTE, lateBound));
        ObjectStore store = ObjectStore.open(fabric, root.resolve(name).resolve("objects"), Clock.systemUTC());
        var region = new Region(config, settings, fabric, store, meters, peerService, servePeers);
        region.startReplication();
        opened.add(region);
        return region;
    }

    /** Closes every region, side by side: a fabric takes a couple of seconds to stop. */
    @Override
    public void close() {
        opened.parallelStream().forEach(Region::close);
    }

    static byte[] bytesOf(StreamMessage<HttpData> body) {
        var out = new ByteArrayOutputStream();
        body.collect().join().forEach(data -> out.writeBytes(data.array()));
        return out.toByteArray();
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One open region; its replication can be stopped and started again, as a restart would. */
    static final class Region {
        final String name;
        final Fabric fabric;
        final ObjectStore store;
        final SimpleMeterRegistry meters;
        private final RegionConfig config;
        private final ReplicationSettings settings;
        private final AtomicReference<HttpService> peerService;
        private final UnaryOperator<HttpService> servePeers;
        private ObjectReplication replication;
        private boolean closed;

        Region(RegionConfig config, ReplicationSettings settings, Fabric fabric, ObjectStore store,
                SimpleMeterRegistry meters, AtomicReference<HttpService> peerService,
                UnaryOperator<HttpService> servePeers) {
            this.name = config.region();
            this.config = config;
            this.settings = settings;
            this.fabric = fabric;
            this.store = store;
            this.meters = meters;
            this.peerService = peerService;
            this.servePeers = servePeers;
        }

        ObjectReplication replication() {
            return replication;
        }

        void stopReplication() {
            replication.close();
        }

        void startReplication() {
            replication = new ObjectReplication(config, fabric, store, meters, Clock.systemUTC(), settings);
            peerService.set(servePeers.apply(replication.peerService()));
            replication.start();
        }

        StoredVersion put(String bucket, String key, byte[] bytes) {
            try {
                var staged = store.blobs().stage(new ByteArrayInputStream(bytes), Set.of(), ObjectStore.MAX_PUT_BYTES);
                return store.put(store.buckets().require(bucket), key, staged, new ObjectContent(Map.of(), Map.of()),
                        current -> {});
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The version as this region knows it, once its metadata has arrived. */
        Optional<StoredVersion> find(StoredVersion version) {
            return store.objects().latest(version.bucket(), version.key())
                    .filter(v -> v.object().blobId().equals(version.object().blobId()));
        }

        Optional<byte[]> blob(String blobId) {
            return store.blobs().find(blobId).map(path -> {
                try {
                    return Files.readAllBytes(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        boolean holds(StoredVersion version, byte[] bytes) {
            return blob(version.object().blobId()).map(b -> Arrays.equals(b, bytes)).orElse(false);
        }

        double gauge(String name, String bucket, String destination) {
            Gauge gauge = meters.find(name).tags("bucket", bucket, "destination", destination).gauge();
            return gauge == null ? -1 : gauge.value();
        }

        Bucket createBucket(String bucket, List<String> replicateTo) {
            return store.createBucket(bucket, replicateTo);
        }

        void close() {
            if (!closed) {
                closed = true;
                replication.close();
                fabric.close();
            }
        }
    }
}
