package dev.meridian.testkit.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks, from one key's operations, the calls that say something about the register, each with the deadline by
 * which it must have taken effect. Unanswered calls are what make the search expensive (each one left pending may
 * take effect anywhere after its start, or nowhere), so as many as can be are dropped or given a deadline.
 */
final class RegisterCalls {
    private RegisterCalls() {}

    /**
     * A refused call changed nothing and an unanswered read saw nothing: both are dropped. An unanswered mutation
     * whose result no call saw is dropped too, since taking effect could only hide the value before it. One that
     * alone could have written a value an acknowledged call saw must have taken effect before that call did, so by
     * its end: left pending, it could be placed anywhere later too.
     */
    static List<Call> of(List<Operation> oneKey) {
        Set<String> seen = new HashSet<>();
        Map<String, Long> firstAcknowledgedSight = new HashMap<>();
        Map<String, Integer> writers = new HashMap<>();
        for (Operation op : oneKey) {
            if (sees(op)) {
                String value = op.kind() == Operation.Kind.READ ? op.value() : op.expected();
                seen.add(value);
                if (op.outcome() == Operation.Outcome.OK) {
                    firstAcknowledgedSight.merge(value, op.endNanos(), Math::min);
                }
            }
            if (op.mayHaveHappened() && op.writesValue()) {
                writers.merge(op.value(), 1, Integer::sum);
            }
        }
        var calls = new ArrayList<Call>();
        for (Operation op : oneKey) {
            if (op.outcome() == Operation.Outcome.OK) {
                calls.add(new Call(op, op.endNanos()));
            } else if (op.mayHaveHappened() && seen.contains(op.writesValue() ? op.value() : null)) {
                boolean onlyWriter = op.writesValue() && writers.get(op.value()) == 1;
                long sight = onlyWriter ? firstAcknowledgedSight.getOrDefault(op.value(), Call.NONE) : Call.NONE;
                // A sight before the write began is the seer's to explain, and the search's events stay in order.
                calls.add(new Call(op, Math.max(op.startNanos(), sight)));
            }
        }
        return calls;
    }

    /** Whether a call may have seen the key's value: an acknowledged read, or a CAS that may have happened. */
    private static boolean sees(Operation op) {
        return op.kind() == Operation.Kind.READ ? op.outcome() == Operation.Outcome.OK
                : op.kind() == Operation.Kind.CAS && op.mayHaveHappened();
    }
}
