package dev.meridian.testkit.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * After healing and quiescence, each key of a region holds what its last writes say: every acknowledged write or
 * delete is there unless a later acknowledged one superseded it, a deleted value never comes back, and nothing
 * refused or never written appears.
 *
 * <p>"Later" is real time with a slack: last-writer-wins orders writes by hybrid logical clock, which agrees with
 * real time only for writes further apart than the clocks' granularity and skew. Two writes closer than the slack
 * are concurrent, and either may win.
 */
public final class NoLostWrites {
    public static final String CHECK = "no lost writes";

    private NoLostWrites() {}

    /** Checks one region's final contents ({@code key -> value}; absent keys are deleted or never written). */
    public static List<Violation> check(List<Operation> history, String region, Map<String, String> contents,
            long slackNanos) {
        var violations = new ArrayList<Violation>();
        Map<String, List<Operation>> byKey = history.stream().filter(Operation::isMutation)
                .collect(Collectors.groupingBy(Operation::key));
        var keys = new TreeSet<String>(contents.keySet());
        keys.addAll(byKey.keySet());
        for (String key : keys) {
            List<Operation> mutations = byKey.getOrDefault(key, List.of());
            List<Operation> last = lastMutations(mutations, slackNanos);
            String value = contents.get(key);
            if (value != null) {
                if (last.stream().noneMatch(op -> op.writesValue() && value.equals(op.value()))) {
                    violations.add(new Violation(CHECK, region + " holds " + key + "=" + value + ": "
                            + whyNot(mutations, value)));
                }
            } else if (last.stream().noneMatch(op -> op.kind() == Operation.Kind.DELETE)) {
                last.stream().filter(op -> op.writesValue() && op.outcome() == Operation.Outcome.OK)
                        .findFirst()
                        .ifPresent(lost -> violations.add(new Violation(CHECK, region + " lost " + key + "="
                                + lost.value() + ", acknowledged by " + lost.region() + " (operation " + lost.id()
                                + ") and never superseded")));
            }
        }
        return violations;
    }

    /** The mutations that may have happened and that no acknowledged mutation began after (by the slack). */
    private static List<Operation> lastMutations(List<Operation> mutations, long slackNanos) {
        // A mutation is superseded when some acknowledged one began after it: the latest-starting one is enough.
        OptionalLong latestAcknowledgedStart = mutations.stream().filter(op -> op.outcome() == Operation.Outcome.OK)
                .mapToLong(Operation::startNanos).max();
        return mutations.stream()
                .filter(Operation::mayHaveHappened)
                .filter(op -> latestAcknowledgedStart.isEmpty()
                        || latestAcknowledgedStart.getAsLong() - op.endNanos() <= slackNanos)
                .toList();
    }

    private static String whyNot(List<Operation> mutations, String value) {
        Operation write = mutations.stream().filter(op -> Objects.equals(op.value(), value)).findFirst().orElse(null);
        if (write == null) {
            return "no client ever wrote that value";
        }
        if (write.outcome() == Operation.Outcome.FAILED) {
            return "its write (operation " + write.id() + ") was refused, yet took effect";
        }
        Operation superseding = mutations.stream()
                .filter(op -> op.outcome() == Operation.Outcome.OK && write.precedes(op, 0))
                .reduce((first, second) -> second).orElseThrow();
        return "its write (operation " + write.id() + ") was superseded by acknowledged "
                + (superseding.kind() == Operation.Kind.DELETE ? "delete" : "write of " + superseding.value())
                + " (operation " + superseding.id() + " in " + superseding.region() + ")"
                + (superseding.kind() == Operation.Kind.DELETE ? ": a deleted value came back" : "");
    }
}
