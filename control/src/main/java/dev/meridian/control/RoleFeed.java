package dev.meridian.control;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells listeners about SQL role changes, in the order they were applied, on one thread
 * ({@code control-<member>-roles}) so a slow listener never holds up the Ratis apply thread.
 */
final class RoleFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RoleFeed.class);

    private final ExecutorService deliveries;
    /** Guarded by {@code this}, so a new listener gets the current role exactly once and then every later one. */
    private final List<Consumer<SqlRole>> listeners = new ArrayList<>();
    private SqlRole current;

    RoleFeed(String member, SqlRole initial) {
        this.current = initial;
        this.deliveries = Executors.newSingleThreadExecutor(task -> {
            var thread = new Thread(task, "control-" + member + "-roles");
            thread.setDaemon(true);
            return thread;
        });
    }

    synchronized void publish(SqlRole role) {
        if (role.equals(current)) {
            return;
        }
        current = role;
        listeners.forEach(listener -> deliver(listener, role));
    }

    synchronized void subscribe(Consumer<SqlRole> listener) {
        listeners.add(listener);
        deliver(listener, current);
    }

    @Override
    public void close() {
        deliveries.shutdown();
        try {
            deliveries.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Consumer<SqlRole> listener, SqlRole role) {
        deliveries.execute(() -> {
            try {
                listener.accept(role);
            } catch (RuntimeException e) {
                log.warn("event=sql_role_listener_failed epoch={} primary={}", role.epoch(), role.primary(), e);
            }
        });
    }
}
