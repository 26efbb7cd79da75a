package dev.meridian.testkit.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Each key behaves as one register read and written atomically (Herlihy and Wing): every acknowledged call takes
 * effect at one instant between its start and its end, in an order that explains what each read saw and whether
 * each CAS found its expected value. An unanswered call may take effect at any instant after it began, or never.
 * Linearizability is compositional, so each key is checked alone.
 */
public final class Linearizability {
    public static final String CHECK = "linearizable";
    /** Points one key's search may visit before the key is reported undecided rather than searched on. */
    static final int POINTS_PER_KEY = 2_000_000;

    private Linearizability() {}

    public static List<Violation> check(List<Operation> history) {
        return check(history, POINTS_PER_KEY);
    }

    static List<Violation> check(List<Operation> history, int pointsPerKey) {
        long origin = history.stream().mapToLong(Operation::startNanos).min().orElse(0);
        var violations = new ArrayList<Violation>();
        history.stream().collect(Collectors.groupingBy(Operation::key, TreeMap::new, Collectors.toList()))
                .forEach((key, calls) -> {
                    List<Call> informative = RegisterCalls.of(calls);
                    var result = LinearizationSearch.run(informative, pointsPerKey);
                    switch (result.verdict()) {
                        case LINEARIZABLE -> { }
                        case NOT_LINEARIZABLE -> violations.add(new Violation(CHECK, "key " + key
                                + " is not linearizable: the longest linearizable prefix has " + result.longestPrefix()
                                + " of its " + informative.size() + " calls, and after it "
                                + describe(result.blocked(), origin) + " cannot take effect with " + key + " holding "
                                + result.heldThen()));
                        case UNDECIDED -> violations.add(new Violation(CHECK, "key " + key
                                + " could not be decided within " + pointsPerKey + " search points ("
                                + informative.size() + " calls, " + unanswered(informative) + " of them unanswered)"));
                    }
                });
        return violations;
    }

    private static long unanswered(List<Call> calls) {
        return calls.stream().filter(call -> call.operation().outcome() == Operation.Outcome.UNKNOWN).count();
    }

    private static String describe(Operation call, long origin) {
        String what = switch (call.kind()) {
            case READ -> "READ of " + Objects.toString(call.value(), "absent");
            case WRITE -> "WRITE of " + call.value();
            case DELETE -> "DELETE";
            case CAS -> "CAS from " + Objects.toString(call.expected(), "absent") + " to " + call.value();
        };
        String when = call.outcome() == Operation.Outcome.OK
                ? millis(call.startNanos() - origin) + " to " + millis(call.endNanos() - origin) + " ms"
                : "from " + millis(call.startNanos() - origin) + " ms, unanswered";
        return call.process() + "'s " + what + " (operation " + call.id() + " in " + call.region() + ", " + when + ")";
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
