package dev.meridian.bench;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Prints one progress line to standard error every few seconds while a long step runs, on its own daemon thread. */
public final class Progress implements AutoCloseable {
    public static final Duration EVERY = Duration.ofSeconds(5);

    private final ScheduledExecutorService printer;

    private Progress(ScheduledExecutorService printer) {
        this.printer = printer;
    }

    public static Progress every(Duration interval, Supplier<String> line) {
        ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "bench-progress");
            thread.setDaemon(true);
            return thread;
        });
        long started = System.nanoTime();
        printer.scheduleAtFixedRate(
                () -> say(String.format("[%3ds] %s", (System.nanoTime() - started) / 1_000_000_000L, line.get())),
                interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return new Progress(printer);
    }

    /** One line to standard error, leaving standard output for the report. */
    public static void say(String line) {
        System.err.println(line);
    }

    @Override
    public void close() {
        printer.shutdownNow();
    }
}
