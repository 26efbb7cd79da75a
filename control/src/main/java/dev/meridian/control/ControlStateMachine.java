package dev.meridian.control;

import dev.meridian.control.ControlCommand.AgreeWrite;
import dev.meridian.control.ControlCommand.ChangePrimary;
import dev.meridian.control.ControlCommand.RecordHeartbeat;
import dev.meridian.core.strong.AgreedStore;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the control log to a {@link ControlState}, on Ratis' apply thread, and keeps what only this member knows:
 * when it applied each heartbeat, and its own write lease. Strong tables' writes are decided here too (compare-and-set
 * against {@link AgreedKeys}) and handed, in log order, to this region's {@link AgreedStore} (none on a witness).
 *
 * <p>The state itself is deterministic; the apply times are local and monotonic. Heartbeats applied before this
 * member applies its own first heartbeat of this process are replays (or catch-up) of old entries: they update the
 * state, but {@link Applied#ageKnown()} stays false for them, so ages after a restart start out unknown, and replayed
 * failovers are not logged again.
 */
final class ControlStateMachine extends BaseStateMachine {
    private static final Logger log = LoggerFactory.getLogger(ControlStateMachine.class);

    /** When this member applied a member's last heartbeat, and whether it was live (applied after catching up). */
    record Applied(long atNanos, boolean ageKnown) {}

    private final String member;
    private final long incarnation;
    private final WriteLease lease;
    private final RoleFeed roles;
    private final LongSupplier nanoClock;
    private final Optional<AgreedStore> store;
    private final AgreedKeys agreedKeys = new AgreedKeys();
    private final AppliedIndex appliedIndex = new AppliedIndex();
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    /** Replaced only on the apply thread (or while Ratis loads a snapshot); read from any thread. */
    private volatile ControlState state;
    /** Written on the apply thread; read by the failover monitor and {@link ControlPlane#members()}. */
    private final Map<String, Applied> applied = new ConcurrentHashMap<>();
    /** Set on the apply thread once this member's own heartbeat from this process comes back through the log. */
    private volatile boolean caughtUp;

    ControlStateMachine(String member, long incarnation, ControlState initial, WriteLease lease, RoleFeed roles,
            LongSupplier nanoClock, Optional<AgreedStore> store) {
        this.member = member;
        this.store = store;
        this.incarnation = incarnation;
        this.state = initial;
        this.lease = lease;
        this.roles = roles;
        this.nanoClock = nanoClock;
    }

    ControlState state() {
        return state;
    }

    /** The index this member holds every entry's effects up to, strong writes durably in its store. */
    AppliedIndex appliedIndex() {
        return appliedIndex;
    }

    /** When this member applied {@code member}'s last heartbeat, if it has since this process started. */
    Optional<Applied> applied(String member) {
        return Optional.ofNullable(applied.get(member));
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        load(storage.getLatestSnapshot());
    }

    /** Called after Ratis installed a snapshot sent by the leader, for a member too far behind for the log. */
    @Override
    public void reinitialize() throws IOException {
        load(storage.loadLatestSnapshot());
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        ControlCommand command = ControlCodec.decodeCommand(entry.getStateMachineLogEntry().getLogData());
        CompletableFuture<?> durable = CompletableFuture.completedFuture(null);
        Message reply;
        if (command instanceof AgreeWrite agree) {
            AgreedKeys.Decision decision = agreedKeys.decide(agree.write(), entry.getIndex());
            if (decision.verdict().accepted() && store.isPresent()) {
                durable = store.get().write(agree.write(), decision.timestamp());
            }
            reply = ControlCodec.verdict(decision.verdict());
        } else if (command instanceof ChangePrimary change) {
            reply = apply(change);
        } else if (command instanceof ControlCommand.Barrier) {
            reply = Message.EMPTY;
        } else {
            reply = apply((RecordHeartbeat) command, entry.getIndex());
        }
        appliedIndex.entry(entry.getIndex(), durable);
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        return CompletableFuture.completedFuture(reply);
    }

    /** A linearizable read's last step: Ratis calls it once the read index is applied; it waits for the store. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        return appliedIndex.caughtUp().thenApply(done -> Message.EMPTY);
    }

    /**
     * Writes the state to a file; Ratis calls it on the apply thread, so no entry applies meanwhile. Waits first for
     * the store to hold every strong write up to the snapshot, since the log before it may then be dropped.
     */
    @Override
    public long takeSnapshot() throws IOException {
        appliedIndex.caughtUp().join();
        TermIndex last = getLastAppliedTermIndex();
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        Path partial = file.toPath().resolveSibling(file.getName() + ".partial");
        Files.write(partial, ControlCodec.encodeState(state, agreedKeys));
        Files.move(partial, file.toPath(), StandardCopyOption.ATOMIC_MOVE);
        MD5Hash digest = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), digest), last));
        return last.getIndex();
    }

    private Message apply(RecordHeartbeat heartbeat, long index) {
        state = state.withHeartbeat(heartbeat.member(), index, heartbeat.heartbeat());
        if (heartbeat.member().equals(member) && heartbeat.incarnation() == incarnation) {
            lease.renew(heartbeat.sentNanos());
            caughtUp = true;
        }
        applied.put(heartbeat.member(), new Applied(nanoClock.getAsLong(), caughtUp));
        return Message.EMPTY;
    }

    private Message apply(ChangePrimary change) {
        Optional<String> rejection = state.rejection(change);
        if (rejection.isPresent()) {
            return ControlCodec.rejected(rejection.get());
        }
        state = state.promote(change);
        Failover failover = state.lastFailover().orElseThrow();
        if (caughtUp) {
            log.info("event=sql_failover from={} to={} epoch={} planned={} rpo_bytes_estimate={}", failover.from(),
                    failover.to(), failover.epoch(), failover.planned(), failover.rpoBytesEstimate());
        }
        roles.publish(state.role());
        return ControlCodec.changed(state.role());
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        try (InputStream in = Files.newInputStream(snapshot.getFile().getPath())) {
            state = ControlCodec.decodeState(in, agreedKeys);
        }
        setLastAppliedTermIndex(snapshot.getTermIndex());
        appliedIndex.reset(snapshot.getIndex());
        roles.publish(state.role());
    }
}
