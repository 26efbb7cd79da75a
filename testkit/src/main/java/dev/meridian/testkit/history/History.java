package dev.meridian.testkit.history;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** Every call of a run, recorded by the clients that made them; read by the checkers once the run is over. */
public final class History {
    private final ConcurrentLinkedQueue<Operation> operations = new ConcurrentLinkedQueue<>();
    private final AtomicLong ids = new AtomicLong();

    /** Records a finished call. */
    public Operation record(String process, String region, Operation.Kind kind, String key, String value,
            long startNanos, Operation.Outcome outcome) {
        var operation = new Operation(ids.incrementAndGet(), process, region, kind, key, value, startNanos,
                System.nanoTime(), outcome);
        operations.add(operation);
        return operation;
    }

    /** Every recorded call, by start time. */
    public List<Operation> operations() {
        return operations.stream().sorted(Comparator.comparingLong(Operation::startNanos)).toList();
    }
}
