package dev.meridian.control;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage.StartupOption;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * How one member runs Ratis: its view of the group, its server properties, its clients.
 *
 * <p>Every member builds the group with the addresses IT dials ({@link ControlSettings#peerAddresses()}). Ratis
 * also spreads each leader's view of the addresses in configuration entries, but a server and a client each keep
 * the first address they were given per peer id (Ratis' {@code PeerProxyMap} adds peers with
 * {@code computeIfAbsent}, and the server registers its start-up group before it reads any configuration from its
 * log), so every member keeps dialing its own links. {@code ControlPlaneTest} proves it by cutting the links of a
 * member whose own address all the others hold.
 *
 * <p>Transport: gRPC. Ratis 3.1.3's Netty log appender takes a heartbeat's reply as proof that the follower's whole
 * log matches, so a member holding uncommitted entries of an older leader can be left behind for good (seen here
 * after restarts; RATIS-2605 fixed it upstream after 3.1.3). The gRPC appender counts only the entries a follower
 * confirmed.
 */
final class RatisConfig {
    /** The one control group; its id never changes, so every member and every restart finds the same one. */
    static final RaftGroupId GROUP_ID =
            RaftGroupId.valueOf(UUID.nameUUIDFromBytes("meridian-control".getBytes(StandardCharsets.UTF_8)));
    /** Elections wait 1-2 s: many round trips on a WAN with one-way delays up to ~100 ms, yet a leader in seconds. */
    private static final TimeDuration ELECTION_TIMEOUT_MIN = TimeDuration.valueOf(1, TimeUnit.SECONDS);
    private static final TimeDuration ELECTION_TIMEOUT_MAX = TimeDuration.valueOf(2, TimeUnit.SECONDS);
    /** How long a client waits for one answer before it tries again, perhaps at another member. */
    private static final TimeDuration CLIENT_ATTEMPT_TIMEOUT = TimeDuration.valueOf(2, TimeUnit.SECONDS);
    private static final TimeDuration CLIENT_RETRY_PAUSE = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);
    /** Heartbeats fill the log (a few entries a second); a snapshot every 10,000 entries lets Ratis drop the rest. */
    private static final long SNAPSHOT_EVERY_ENTRIES = 10_000;
    private static final SizeInBytes LOG_SEGMENT_SIZE = SizeInBytes.valueOf("1MB");

    private RatisConfig() {}

    /** The group with the address this member uses for each member (itself: its own port on loopback). */
    static RaftGroup groupAsDialedBy(ControlSettings settings) {
        List<RaftPeer> peers = settings.members().stream()
                .map(id -> RaftPeer.newBuilder()
                        .setId(id)
                        .setAddress(id.equals(settings.member())
                                ? "127.0.0.1:" + settings.port()
                                : settings.peerAddresses().get(id))
                        .build())
                .toList();
        return RaftGroup.valueOf(GROUP_ID, peers);
    }

    static RaftProperties serverProperties(ControlSettings settings) {
        var properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        GrpcConfigKeys.Server.setPort(properties, settings.port());
        RaftServerConfigKeys.setStorageDir(properties, List.of(settings.storageDir().toFile()));
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, ELECTION_TIMEOUT_MIN);
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, ELECTION_TIMEOUT_MAX);
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(properties, ELECTION_TIMEOUT_MIN);
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(properties, ELECTION_TIMEOUT_MAX);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, SNAPSHOT_EVERY_ENTRIES);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        // No snapshot on a clean stop: every restart replays the log as after kill -9, one recovery path to trust.
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(properties, false);
        // Purge only what every member has committed: a member that was away catches up from the log, never from a
        // snapshot, which carries the agreed keys but not the strong tables' items in the region's store.
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, false);
        // Strong tables' read barriers: a follower asks the leader for a read index, then answers once applied. The
        // leader confirms its leadership from its lease (heartbeats a majority acknowledged within 90% of the
        // shortest election timeout, on the monotonic clock) instead of a round of heartbeats per read.
        RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(properties, true);
        // Send entries to followers as soon as they are appended: a strong write waits for them over the WAN.
        RaftServerConfigKeys.Log.Appender.setWaitTimeMin(properties, TimeDuration.ZERO);
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, LOG_SEGMENT_SIZE);
        RaftServerConfigKeys.Log.setPreallocatedSize(properties, LOG_SEGMENT_SIZE);
        return properties;
    }

    /** Formats the storage on first start; afterwards recovers the log and snapshots already there. */
    static StartupOption startupOption(ControlSettings settings) {
        boolean formatted = Files.isDirectory(settings.storageDir().resolve(GROUP_ID.getUuid().toString()));
        return formatted ? StartupOption.RECOVER : StartupOption.FORMAT;
    }

    /** A client that finds the leader itself and gives up on a write or a read after {@code giveUpAfter}. */
    static RaftClient client(RaftGroup group, Duration giveUpAfter) {
        var properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, CLIENT_ATTEMPT_TIMEOUT);
        var retry = RequestTypeDependentRetryPolicy.newBuilder()
                .setRetryPolicy(TypeCase.WRITE, RetryPolicies.retryForeverWithSleep(CLIENT_RETRY_PAUSE))
                .setTimeout(TypeCase.WRITE, TimeDuration.valueOf(giveUpAfter.toMillis(), TimeUnit.MILLISECONDS))
                .setRetryPolicy(TypeCase.READ, RetryPolicies.retryForeverWithSleep(CLIENT_RETRY_PAUSE))
                .setTimeout(TypeCase.READ, TimeDuration.valueOf(giveUpAfter.toMillis(), TimeUnit.MILLISECONDS))
                .build();
        return RaftClient.newBuilder()
                .setClientId(ClientId.randomId())
                .setRaftGroup(group)
                .setProperties(properties)
                .setRetryPolicy(retry)
                .build();
    }
}
