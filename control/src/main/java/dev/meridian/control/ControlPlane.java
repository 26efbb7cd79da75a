package dev.meridian.control;

import dev.meridian.control.ControlCommand.ChangePrimary;
import dev.meridian.core.strong.AgreedStore;
import dev.meridian.core.strong.StrongLog;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's member of the control plane: the agreed SQL role (who is primary, at which fencing epoch), the
 * primary's write lease, and the automatic failover the Ratis leader runs when the primary goes silent; and the log
 * strong tables' writes are agreed in ({@link #strongLog()}). Without the SQL layer only the latter runs.
 *
 * <p>Threads: Ratis' own threads apply the log; {@code control-<member>-heartbeat} sends heartbeats;
 * {@code control-<member>-commands} runs the {@link FailoverMonitor} and sends changes of primary, one at a time;
 * {@code control-<member>-roles} calls role listeners. The Ratis clients are used through their blocking API on
 * these threads, which keeps "one heartbeat at a time" and "one proposal at a time" plain to see.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
    private static final LongSupplier NANO_CLOCK = System::nanoTime;
    /** A client attempt lasts at most 2 s, and a closed client fails the next one at once. */
    private static final long CLOSE_TIMEOUT_SECONDS = 5;
    /**
     * How long a strong write or read barrier keeps trying before it fails as unavailable: a new leader is elected in
     * 1-2 s, so this rides out an election yet answers a region cut off from the majority within seconds.
     */
    static final Duration STRONG_TIMEOUT = Duration.ofSeconds(4);

    private final ControlSettings settings;
    private final RaftServer server;
    private final ControlStateMachine machine;
    private final WriteLease lease;
    private final RoleFeed roles;
    private final RaftClient heartbeatClient;
    private final RaftClient commandClient;
    private final RaftClient strongClient;
    private final ScheduledExecutorService heartbeats;
    private final ScheduledExecutorService commands;

    private ControlPlane(ControlSettings settings, RaftServer server, ControlStateMachine machine, WriteLease lease,
            RoleFeed roles, RaftClient heartbeatClient, RaftClient commandClient, RaftClient strongClient,
            ScheduledExecutorService heartbeats, ScheduledExecutorService commands) {
        this.settings = settings;
        this.server = server;
        this.machine = machine;
        this.lease = lease;
        this.roles = roles;
        this.heartbeatClient = heartbeatClient;
        this.commandClient = commandClient;
        this.strongClient = strongClient;
        this.heartbeats = heartbeats;
        this.commands = commands;
    }

    /**
     * Starts this member: its Ratis server (recovering its log from {@link ControlSettings#storageDir()}), its
     * heartbeats and, whenever it leads, the failover monitor. Returns once the server runs; a leader is elected
     * later, within a few seconds of a majority running.
     *
     * @param heartbeat what this member reports about its PostgreSQL server, asked once per heartbeat interval on
     *     {@code control-<member>-heartbeat}
     */
    public static ControlPlane start(ControlSettings settings, Supplier<Heartbeat> heartbeat) {
        return start(settings, heartbeat, Optional.empty());
    }

    /**
     * Like {@link #start(ControlSettings, Supplier)}, with {@code store} taking the strong writes this member applies
     * (a region's fabric; empty on a witness, which only decides them).
     */
    public static ControlPlane start(ControlSettings settings, Supplier<Heartbeat> heartbeat,
            Optional<AgreedStore> store) {
        long incarnation = ThreadLocalRandom.current().nextLong();
        var lease = new WriteLease(settings.leaseDuration(), NANO_CLOCK);
        // Without the SQL layer the role is a placeholder no one serves, and no failover is ever proposed.
        var initial = ControlState.initial(settings.hasSql() ? settings.initialPrimary() : settings.members().get(0));
        var roles = new RoleFeed(settings.member(), initial.role());
        var machine = new ControlStateMachine(settings.member(), incarnation, initial, lease, roles, NANO_CLOCK,
                store);
        RaftGroup group = RatisConfig.groupAsDialedBy(settings);
        RaftServer server = null;
        try {
            Files.createDirectories(settings.storageDir());
            server = RaftServer.newBuilder()
                    .setServerId(RaftPeerId.valueOf(settings.member()))
                    .setGroup(group)
                    .setStateMachine(machine)
                    .setProperties(RatisConfig.serverProperties(settings))
                    .setOption(RatisConfig.startupOption(settings))
                    .build();
            server.start();
        } catch (IOException e) {
            if (server != null) {
                closeQuietly(settings.member(), server);
            }
            roles.close();
            throw new ControlException("control plane member " + settings.member() + " cannot start on port "
                    + settings.port() + " with storage " + settings.storageDir() + ": " + e.getMessage(), e);
        }
        RaftClient heartbeatClient = RatisConfig.client(group, settings.leaseDuration());
        RaftClient commandClient = RatisConfig.client(group, settings.failoverTimeout());
        RaftClient strongClient = RatisConfig.client(group, STRONG_TIMEOUT);
        ScheduledExecutorService heartbeats = namedThread("control-" + settings.member() + "-heartbeat");
        ScheduledExecutorService commands = namedThread("control-" + settings.member() + "-commands");
        var plane = new ControlPlane(settings, server, machine, lease, roles, heartbeatClient, commandClient,
                strongClient, heartbeats, commands);
        var sender = new HeartbeatSender(settings.member(), incarnation, heartbeat, heartbeatClient, NANO_CLOCK);
        var monitor = new FailoverMonitor(settings.failoverTimeout(), settings.heartbeatInterval(), machine,
                plane::leaderTerm, plane::propose, NANO_CLOCK);
        long interval = settings.heartbeatInterval().toNanos();
        heartbeats.scheduleAtFixedRate(() -> plane.keepGoing(sender::send), 0, interval, TimeUnit.NANOSECONDS);
        if (settings.hasSql()) {
            commands.scheduleWithFixedDelay(() -> plane.keepGoing(monitor::check), interval, interval,
                    TimeUnit.NANOSECONDS);
        }
        return plane;
    }

    /** The log strong tables' writes are agreed in, and this member's view of it. */
    public StrongLog strongLog() {
        return new RatisStrongLog(strongClient, machine.appliedIndex(), server.getId(), this::isLeader, STRONG_TIMEOUT);
    }

    public String member() {
        return settings.member();
    }

    /** The SQL role as last applied here; before anything is applied, the initial primary at epoch 1. */
    public SqlRole sqlRole() {
        return machine.state().role();
    }

    /**
     * Calls {@code listener} on {@code control-<member>-roles}: at once with the current role, then with every
     * change this member applies, in log order (replays after a restart included).
     */
    public void onSqlRoleChange(Consumer<SqlRole> listener) {
        roles.subscribe(listener);
    }

    /**
     * Whether this member may take SQL writes now, as far as the control plane is concerned: true while a
     * heartbeat it sent less than {@link ControlSettings#leaseDuration()} ago has been agreed by a majority and
     * applied here. So whenever it is true, {@link #sqlRole()} includes every change agreed before that heartbeat;
     * the SQL layer checks both that and that it is the primary.
     */
    public boolean holdsWriteLease() {
        return lease.held();
    }

    /**
     * Makes {@code to} the SQL primary, if the role is still at {@code expectedEpoch} (compare-and-set through
     * Ratis) and {@code to}'s last heartbeat said it is eligible. Completes with the new role, or exceptionally with
     * a {@link ControlException} saying why not, or that no majority answered within the failover timeout.
     *
     * <p>A planned change does not wait for the old primary's write lease to run out: demote it first, or have the
     * new primary wait {@link ControlSettings#leaseDuration()} before taking writes.
     */
    public CompletableFuture<SqlRole> changePrimary(String to, long expectedEpoch, boolean planned) {
        var change = new ChangePrimary(to, expectedEpoch, planned, OptionalLong.empty());
        try {
            return CompletableFuture.supplyAsync(() -> propose(change), commands);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new ControlException("control plane member " + member()
                    + " is closed"));
        }
    }

    /** Every member, in id order, as this member sees it. */
    public Map<String, MemberView> members() {
        long now = NANO_CLOCK.getAsLong();
        ControlState state = machine.state();
        var view = new LinkedHashMap<String, MemberView>();
        for (String member : settings.members()) {
            Optional<Heartbeat> last = Optional.ofNullable(state.heartbeats().get(member))
                    .map(ControlState.AgreedHeartbeat::heartbeat);
            Optional<Duration> age = machine.applied(member)
                    .filter(ControlStateMachine.Applied::ageKnown)
                    .map(applied -> Duration.ofNanos(now - applied.atNanos()));
            view.put(member, new MemberView(last, age));
        }
        return Collections.unmodifiableMap(view);
    }

    /** The last change of primary this member applied, planned or not. */
    public Optional<Failover> lastFailover() {
        return machine.state().lastFailover();
    }

    public boolean isLeader() {
        return leaderTerm() >= 0;
    }

    /**
     * Stops heartbeats, the monitor and the Ratis server; the log stays in storage for the next start. Changes of
     * primary still waiting fail: their client is closed first.
     */
    @Override
    public void close() {
        heartbeats.shutdown();
        commands.shutdown();
        closeQuietly(member(), heartbeatClient);
        closeQuietly(member(), commandClient);
        closeQuietly(member(), strongClient);
        awaitTermination(heartbeats);
        awaitTermination(commands);
        closeQuietly(member(), server);
        roles.close();
    }

    /** Asks Ratis to write a snapshot of the state now; completes with the index it covers. */
    CompletableFuture<Long> snapshot() {
        // A creation gap of 1 entry: any progress since the last snapshot is worth one (0 means Ratis' default).
        var request = SnapshotManagementRequest.newCreate(ClientId.randomId(), server.getId(), RatisConfig.GROUP_ID,
                0, settings.failoverTimeout().toMillis(), 1);
        return server.snapshotManagementAsync(request).thenApply(reply -> {
            if (!reply.isSuccess()) {
                throw new ControlException("snapshot failed: " + reply.getException());
            }
            return reply.getLogIndex();
        });
    }

    /** Sends {@code change} through Ratis and waits for the state machine's verdict; on the commands thread. */
    private SqlRole propose(ChangePrimary change) {
        RaftClientReply reply;
        try {
            reply = commandClient.io().send(ControlCodec.encode(change));
        } catch (IOException | RuntimeException e) { // a client closing under a send fails unchecked, too
            throw new ControlException("changing the SQL primary to " + change.to() + " at epoch "
                    + change.expectedEpoch() + " failed: no majority answer within " + settings.failoverTimeout()
                    + " (" + e.getMessage() + ")", e);
        }
        return ControlCodec.changeOutcome(reply.getMessage().getContent());
    }

    /** Runs a periodic task so that a failure is logged and the next run still happens. */
    private void keepGoing(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("event=control_task_failed member={}", settings.member(), e);
        }
    }

    private static void awaitTermination(ExecutorService executor) {
        try {
            executor.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ScheduledExecutorService namedThread(String name) {
        return Executors.newSingleThreadScheduledExecutor(task -> {
            var thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** This member's Raft term while it leads, -1 otherwise. */
    private long leaderTerm() {
        try {
            DivisionInfo info = server.getDivision(RatisConfig.GROUP_ID).getInfo();
            return info.isLeader() ? info.getCurrentTerm() : -1;
        } catch (IOException e) {
            return -1; // the division is closing
        }
    }

    private static void closeQuietly(String member, AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.debug("event=control_close_failed member={} cause={}", member, e.toString());
        }
    }
}
