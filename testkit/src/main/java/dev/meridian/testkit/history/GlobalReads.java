package dev.meridian.testkit.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

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
        Map<String, KeyHistory> keys = new HashMap<>();
        history.stream().filter(Operation::isMutation).collect(Collectors.groupingBy(Operation::key))
                .forEach((key, mutations) -> keys.put(key, new KeyHistory(mutations)));
        var violations = new ArrayList<Violation>();
        for (Operation read : history) {
            if (read.kind() != Operation.Kind.READ || read.outcome() != Operation.Outcome.OK
                    || !readers.contains(read.process())) {
                continue;
            }
            KeyHistory key = keys.getOrDefault(read.key(), new KeyHistory(List.of()));
            Operation required = key.lastAcknowledgedBefore(read.startNanos());
            // Visible: a mutation that may have happened, began before the read ended, and that no mutation
            // acknowledged before the read began had superseded.
            long supersededBefore = required == null ? Long.MIN_VALUE : key.latestStartAcknowledgedBefore(read.startNanos()) - slackNanos;
            boolean allowed;
            if (read.value() == null) {
                allowed = required == null || key.deletes.stream().anyMatch(op -> op.mayHaveHappened()
                        && op.startNanos() < read.endNanos() && op.endNanos() >= supersededBefore);
            } else {
                Operation write = key.writes.get(read.value());
                allowed = write != null && write.mayHaveHappened() && write.startNanos() < read.endNanos()
                        && write.endNanos() >= supersededBefore;
            }
            if (!allowed) {
                String why = required == null ? "a value no write could have made by then"
                        : "missing " + describe(required) + ", acknowledged before it began";
                violations.add(new Violation(CHECK, read.process() + " read " + read.key() + "="
                        + Objects.toString(read.value(), "absent") + " in " + read.region() + " (operation "
                        + read.id() + "): " + why));
            }
        }
        return violations;
    }

    /** One key's mutations, indexed for the question "what had been acknowledged before time t?". */
    private static final class KeyHistory {
        final Map<String, Operation> writes = new HashMap<>();
        final List<Operation> deletes = new ArrayList<>();
        /** Acknowledged mutations by end time, with the latest start among each prefix. */
        final List<Operation> acknowledged;
        final long[] latestStart;

        KeyHistory(List<Operation> mutations) {
            for (Operation op : mutations) {
                if (op.writesValue()) {
                    writes.put(op.value(), op);
                } else {
                    deletes.add(op);
                }
            }
            acknowledged = mutations.stream().filter(op -> op.outcome() == Operation.Outcome.OK)
                    .sorted(Comparator.comparingLong(Operation::endNanos)).toList();
            latestStart = new long[acknowledged.size()];
            long latest = Long.MIN_VALUE;
            for (int i = 0; i < latestStart.length; i++) {
                latest = Math.max(latest, acknowledged.get(i).startNanos());
                latestStart[i] = latest;
            }
        }

        /** The last mutation acknowledged before {@code nanos}, or null. */
        Operation lastAcknowledgedBefore(long nanos) {
            int count = countBefore(nanos);
            return count == 0 ? null : acknowledged.get(count - 1);
        }

        /** The latest start among mutations acknowledged before {@code nanos}; only asked when there is one. */
        long latestStartAcknowledgedBefore(long nanos) {
            return latestStart[countBefore(nanos) - 1];
        }

        private int countBefore(long nanos) {
            int low = 0;
            int high = acknowledged.size();
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (acknowledged.get(middle).endNanos() < nanos) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }
    }

    private static String describe(Operation op) {
        return (op.kind() == Operation.Kind.DELETE ? "the delete" : "the write of " + op.value()) + " (operation "
                + op.id() + " in " + op.region() + ")";
    }
}
