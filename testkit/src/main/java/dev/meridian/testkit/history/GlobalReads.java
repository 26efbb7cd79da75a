package dev.meridian.testkit.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A GLOBAL read sees every write acknowledged anywhere before it began: it returns the value of a write (or the
 * absence of a delete) that no write acknowledged before the read began had superseded. Two GLOBAL readers can
 * therefore never see two writes in opposite orders once both were acknowledged (no long fork), and no GLOBAL
 * read is stale.
 */
public final class GlobalReads {
    public static final String CHECK = "global reads";

    private GlobalReads() {}

    /** {@code readers}: the processes whose reads asked for GLOBAL consistency. */
    public static List<Violation> check(List<Operation> history, Set<String> readers, long slackNanos) {
        var violations = new ArrayList<Violation>();
        for (Operation read : history) {
            if (read.kind() != Operation.Kind.READ || read.outcome() != Operation.Outcome.OK
                    || !readers.contains(read.process())) {
                continue;
            }
            List<Operation> mutations = history.stream()
                    .filter(op -> op.isMutation() && op.key().equals(read.key()) && op.startNanos() < read.endNanos())
                    .toList();
            List<Operation> required = mutations.stream()
                    .filter(op -> op.outcome() == Operation.Outcome.OK && op.endNanos() < read.startNanos())
                    .toList();
            List<Operation> visible = mutations.stream()
                    .filter(Operation::mayHaveHappened)
                    .filter(op -> required.stream().noneMatch(later -> op.precedes(later, slackNanos)))
                    .toList();
            boolean allowed = read.value() == null
                    ? required.isEmpty() || visible.stream().anyMatch(op -> op.kind() == Operation.Kind.DELETE)
                    : visible.stream().anyMatch(op -> read.value().equals(op.value()));
            if (!allowed) {
                String why = required.isEmpty() ? "a value no write could have made by then"
                        : "missing " + describe(required.get(required.size() - 1)) + ", acknowledged before it began";
                violations.add(new Violation(CHECK, read.process() + " read " + read.key() + "="
                        + Objects.toString(read.value(), "absent") + " in " + read.region() + " (operation "
                        + read.id() + "): " + why));
            }
        }
        return violations;
    }

    private static String describe(Operation op) {
        return (op.kind() == Operation.Kind.DELETE ? "the delete" : "the write of " + op.value()) + " (operation "
                + op.id() + " in " + op.region() + ")";
    }
}
