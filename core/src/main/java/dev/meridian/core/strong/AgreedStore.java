package dev.meridian.core.strong;

import java.util.concurrent.CompletableFuture;

/** Where a region keeps what the strong log agreed: its fabric, written without replicating (every region applies the log). */
@FunctionalInterface
public interface AgreedStore {
    /**
     * Writes {@code write} with the version ({@code timestamp}, the write's region); completes once it is durable.
     * Calls come in log order and must take effect in that order.
     */
    CompletableFuture<?> write(StrongWrite write, long timestamp);
}
