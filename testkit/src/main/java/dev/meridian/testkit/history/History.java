package dev.meridian.testkit.history;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** Every call of a run, recorded by the clients that made them; read by the checkers once the run is over. */
public final class History {
    private final ConcurrentLinkedQueue<Operation> operations = new ConcurrentLinkedQueue<>();
    private final AtomicLong ids = new AtomicLong();

    /** Records a finished call of any kind but CAS. */
    public Operation record(String process, String region, Operation.Kind kind, String key, String value,
            long startNanos, Operation.Outcome outcome) {
        return add(process, region, kind, key, null, value, startNanos, outcome);
    }

    /** Records a finished CAS: write {@code value} if the key held {@code expected} (null: if it was absent). */
    public Operation recordConditional(String process, String region, String key, String expected, String value,
            long startNanos, Operation.Outcome outcome) {
        return add(process, region, Operation.Kind.CAS, key, expected, value, startNanos, outcome);
    }

    private Operation add(String process, String region, Operation.Kind kind, String key, String expected,
            String value, long startNanos, Operation.Outcome outcome) {
        var operation = new Operation(ids.incrementAndGet(), process, region, kind, key, expected, value, startNanos,
                System.nanoTime(), outcome);
        operations.add(operation);
        return operation;
    }

    /** Every recorded call, by start time. */
    public List<Operation> operations() {
        return operations.stream().sorted(Comparator.comparingLong(Operation::startNanos)).toList();
    }
}
