package dev.meridian.testkit.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a SESSION client is promised, from any region: it reads its own writes (a key only it writes reads as its
 * last acknowledged write, or as one it sent later without an answer), and time never goes backwards (a key whose
 * single writer writes increasing numbers never reads smaller than the session read before).
 */
public final class SessionGuarantees {
    public static final String CHECK = "session guarantees";

    private SessionGuarantees() {}

    /**
     * @param sessions the processes that read with SESSION consistency
     * @param monotonicKeys keys written by one writer with increasing numbers
     */
    public static List<Violation> check(List<Operation> history, Set<String> sessions, Set<String> monotonicKeys) {
        var writers = new HashMap<String, Set<String>>();
        history.stream().filter(Operation::isMutation)
                .forEach(op -> writers.computeIfAbsent(op.key(), k -> new HashSet<>()).add(op.process()));
        var violations = new ArrayList<Violation>();
        for (String session : sessions) {
            var own = new HashMap<String, String>();           // key -> value of the last acknowledged write (null: deleted)
            var unanswered = new HashMap<String, Set<String>>(); // key -> values written since without an answer
            var highest = new HashMap<String, Long>();
            for (Operation op : history) {
                if (!op.process().equals(session)) {
                    continue;
                }
                if (op.isMutation()) {
                    String value = op.kind() == Operation.Kind.DELETE ? null : op.value();
                    if (op.outcome() == Operation.Outcome.OK) {
                        own.put(op.key(), value);
                        unanswered.remove(op.key());
                    } else if (op.outcome() == Operation.Outcome.UNKNOWN) {
                        unanswered.computeIfAbsent(op.key(), k -> new HashSet<>()).add(value);
                    }
                } else if (op.outcome() == Operation.Outcome.OK) {
                    if (Set.of(session).equals(writers.get(op.key()))) {
                        readYourWrites(op, own, unanswered).ifPresent(violations::add);
                    }
                    if (monotonicKeys.contains(op.key())) {
                        long seen = op.value() == null ? 0 : Long.parseLong(op.value());
                        long before = highest.getOrDefault(op.key(), 0L);
                        if (seen < before) {
                            violations.add(new Violation(CHECK, session + " read " + op.key() + "=" + seen + " in "
                                    + op.region() + " (operation " + op.id() + ") after reading " + before));
                        }
                        highest.put(op.key(), Math.max(before, seen));
                    }
                }
            }
        }
        return violations;
    }

    private static java.util.Optional<Violation> readYourWrites(Operation read, Map<String, String> own,
            Map<String, Set<String>> unanswered) {
        var allowed = new HashSet<String>();
        allowed.add(own.get(read.key()));
        allowed.addAll(unanswered.getOrDefault(read.key(), Set.of()));
        if (allowed.contains(read.value())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Violation(CHECK, read.process() + " read " + read.key() + "="
                + Objects.toString(read.value(), "absent") + " in " + read.region() + " (operation " + read.id()
                + ") after its own write of " + Objects.toString(own.get(read.key()), "a delete / nothing")));
    }
}
