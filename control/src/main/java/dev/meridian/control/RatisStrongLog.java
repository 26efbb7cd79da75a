package dev.meridian.control;

import dev.meridian.control.ControlCommand.AgreeWrite;
import dev.meridian.core.strong.StrongLog;
import dev.meridian.core.strong.StrongLogUnavailableException;
import dev.meridian.core.strong.StrongWrite;
import dev.meridian.core.strong.Verdict;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The strong log on the control plane's Raft log: a write is an {@link AgreeWrite} entry the leader's state machine
 * decides. A read barrier on the leader is a Ratis linearizable read, which its lease answers without a round trip;
 * on a follower it is a {@link ControlCommand.Barrier} entry this member waits to apply. (Ratis' own follower read,
 * a read index from the leader, measured several hundred milliseconds more across the WAN: the follower learns the
 * commit index only with the leader's next append.)
 *
 * <p>Calls block the caller (a request thread) through Ratis' blocking API, which any number of threads may use at
 * once. Its ordered async API would not do: one failed call (a timeout without a majority) closes the client's
 * sliding window for good.
 */
final class RatisStrongLog implements StrongLog {
    private final RaftClient client;
    private final AppliedIndex appliedIndex;
    private final RaftPeerId self;
    private final BooleanSupplier leads;
    private final Duration timeout;

    /** @param timeout how long the client retries before a call fails as unavailable */
    RatisStrongLog(RaftClient client, AppliedIndex appliedIndex, RaftPeerId self, BooleanSupplier leads,
            Duration timeout) {
        this.client = client;
        this.appliedIndex = appliedIndex;
        this.self = self;
        this.leads = leads;
        this.timeout = timeout;
    }

    @Override
    public CompletableFuture<Verdict> propose(StrongWrite write) {
        return call("agree on a write to " + write.keyspace(), () -> ControlCodec.decodeVerdict(
                content(client.io().send(ControlCodec.encode(new AgreeWrite(write))))));
    }

    @Override
    public long applied() {
        return appliedIndex.applied();
    }

    @Override
    public CompletableFuture<Boolean> awaitApplied(long index, Duration timeout) {
        return appliedIndex.await(index, timeout);
    }

    @Override
    public CompletableFuture<Void> readBarrier() {
        if (leads.getAsBoolean()) {
            return call("confirm a read index", () -> {
                content(client.io().sendReadOnly(Message.EMPTY, self));
                return null;
            });
        }
        return call("agree on a read barrier", () -> {
            RaftClientReply reply = client.io().send(ControlCodec.encode(new ControlCommand.Barrier()));
            content(reply);
            return reply.getLogIndex();
        }).thenCompose(index -> appliedIndex.await(index, timeout)).thenApply(applied -> {
            if (!applied) {
                throw new StrongLogUnavailableException("this region did not apply the strong log up to its read"
                        + " barrier within " + timeout.toMillis() + " ms; retry", null);
            }
            return null;
        });
    }

    private interface RaftCall<T> {
        T run() throws IOException;
    }

    /** Runs {@code call} here and now; a failure to reach a majority in time fails the future as unavailable. */
    private <T> CompletableFuture<T> call(String what, RaftCall<T> call) {
        try {
            return CompletableFuture.completedFuture(call.run());
        } catch (IOException | RuntimeException e) { // a client closing under a call fails unchecked, too
            return CompletableFuture.failedFuture(new StrongLogUnavailableException("could not " + what
                    + " with a majority of the regions within " + timeout.toMillis() + " ms (" + e.getMessage()
                    + "); retry, or read eventually consistent", e));
        }
    }

    private static ByteString content(RaftClientReply reply) throws IOException {
        if (!reply.isSuccess()) {
            throw reply.getException();
        }
        return reply.getMessage().getContent();
    }
}
