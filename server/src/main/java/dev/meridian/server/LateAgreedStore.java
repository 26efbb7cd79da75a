package dev.meridian.server;

import dev.meridian.core.Version;
import dev.meridian.core.strong.AgreedStore;
import dev.meridian.core.strong.StrongWrite;
import dev.meridian.fabric.Fabric;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The fabric as the store of agreed strong writes, bound once it is open: the control plane starts first (the SQL
 * layer needs it) and replays its log at once, so writes arriving before the fabric are held, then applied in order.
 */
final class LateAgreedStore implements AgreedStore {
    private record Held(StrongWrite write, long timestamp, CompletableFuture<Void> done) {}

    private final List<Held> held = new ArrayList<>();
    private Fabric fabric;

    @Override
    public synchronized CompletableFuture<?> write(StrongWrite write, long timestamp) {
        if (fabric != null) {
            return apply(fabric, write, timestamp);
        }
        var done = new CompletableFuture<Void>();
        held.add(new Held(write, timestamp, done));
        return done;
    }

    synchronized void bind(Fabric fabric) {
        this.fabric = fabric;
        for (Held write : held) {
            apply(fabric, write.write(), write.timestamp()).whenComplete((ok, error) -> {
                if (error != null) {
                    write.done().completeExceptionally(error);
                } else {
                    write.done().complete(null);
                }
            });
        }
        held.clear();
    }

    private static CompletableFuture<Void> apply(Fabric fabric, StrongWrite write, long timestamp) {
        return fabric.applyAgreed(write.keyspace(), write.key(), new Version(timestamp, write.region()), write.value());
    }
}
