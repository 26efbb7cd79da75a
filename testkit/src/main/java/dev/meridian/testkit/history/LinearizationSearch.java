package dev.meridian.testkit.history;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Wing and Gong's search for a linearization of one key's calls, with Lowe's memo, as Porcupine runs it: walk the
 * pending calls in time order, linearize the first the register accepts and walk again from the start, and undo the
 * latest choice on reaching a return whose call is still pending. A point (calls linearized, register state) met once
 * is never searched again. A call without a deadline has no return, so the search may linearize it or leave it out.
 */
final class LinearizationSearch {
    enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, UNDECIDED }

    /**
     * What the search found. When not linearizable: the most calls it linearized, the call that then could not take
     * effect before it returned, and the value the key held at that point.
     */
    record Result(Verdict verdict, int longestPrefix, Operation blocked, String heldThen) {}

    /** A point the search reached; equal points have the same future, so one visit is enough. */
    private record Point(long[] linearized, int state) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Point point && state == point.state
                    && Arrays.equals(linearized, point.linearized);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(linearized) + state;
        }
    }

    private static final int NONE = -1;

    private final List<Call> calls;
    private final RegisterModel model;
    private final EventList events;
    private final int[] earlierTwin;
    private final Set<Point> visited = new HashSet<>();
    private final long[] linearized;
    private final int[] chosen;
    private final int[] stateBefore;
    private int depth;
    private int state = RegisterModel.ABSENT;
    private int pendingReturns;
    private int deepest;
    private Operation blocked;
    private int heldThen;

    private LinearizationSearch(List<Call> calls) {
        this.calls = calls;
        model = new RegisterModel(calls);
        events = new EventList(calls);
        earlierTwin = earlierTwins(calls, model);
        linearized = new long[(calls.size() + 63) / 64];
        chosen = new int[calls.size()];
        stateBefore = new int[calls.size()];
        pendingReturns = events.returningCalls();
    }

    /** {@code calls}: one key's calls; gives up as UNDECIDED after visiting {@code budget} points. */
    static Result run(List<Call> calls, int budget) {
        return new LinearizationSearch(calls).search(budget);
    }

    private Result search(int budget) {
        // Every event before the first pending return is a call, so the walk meets a return before the list's end.
        int event = events.first();
        while (pendingReturns > 0) {
            if (!events.isCall(event)) {
                // This return's call is still pending, and no call before it could go first: undo the latest choice.
                if (depth == deepest && blocked == null) {
                    blocked = calls.get(events.callOf(event)).operation();
                    heldThen = state;
                }
                if (depth == 0) {
                    return new Result(Verdict.NOT_LINEARIZABLE, deepest, blocked, model.describe(heldThen));
                }
                event = events.next(undo());
            } else if (linearize(event)) {
                if (visited.size() > budget) {
                    return new Result(Verdict.UNDECIDED, deepest, null, null);
                }
                event = events.first();
            } else {
                event = events.next(event);
            }
        }
        return new Result(Verdict.LINEARIZABLE, depth, null, null);
    }

    /** Linearizes a call next, unless the register refuses it, the point it leads to was visited, or a twin waits. */
    private boolean linearize(int event) {
        int call = events.callOf(event);
        int after = model.step(state, call);
        if (after == RegisterModel.REFUSED || earlierTwin[call] != NONE && !isLinearized(earlierTwin[call])) {
            return false;
        }
        flip(call);
        if (!visited.add(new Point(linearized.clone(), after))) {
            flip(call);
            return false;
        }
        chosen[depth] = event;
        stateBefore[depth] = state;
        depth++;
        state = after;
        events.lift(event);
        if (events.returns(event)) {
            pendingReturns--;
        }
        if (depth > deepest) {
            deepest = depth;
            blocked = null;
        }
        return true;
    }

    /** Undoes the latest choice, and answers its call event. */
    private int undo() {
        depth--;
        int event = chosen[depth];
        state = stateBefore[depth];
        flip(events.callOf(event));
        events.unlift(event);
        if (events.returns(event)) {
            pendingReturns++;
        }
        return event;
    }

    /**
     * For each call without a deadline, the latest call before it (by start) that has no deadline either and the same
     * effect on the register, or NONE. Once both have started, either may go first and what follows is the same, so
     * the later one waits for its twin and only one order is searched: unanswered deletes otherwise multiply the
     * points by two each.
     */
    private static int[] earlierTwins(List<Call> calls, RegisterModel model) {
        int[] twins = new int[calls.size()];
        Arrays.fill(twins, NONE);
        Map<Long, Integer> latestByEffect = new HashMap<>();
        // Stable, as the event list's order is: calls starting together stay in the order given.
        IntStream.range(0, calls.size()).filter(call -> !calls.get(call).mustTakeEffect()).boxed()
                .sorted(Comparator.comparingLong(call -> calls.get(call).operation().startNanos()))
                .forEach(call -> {
                    Integer twin = latestByEffect.put(model.effect(call), call);
                    twins[call] = twin == null ? NONE : twin;
                });
        return twins;
    }

    private boolean isLinearized(int call) {
        return (linearized[call >>> 6] & 1L << call) != 0;
    }

    private void flip(int call) {
        linearized[call >>> 6] ^= 1L << call;
    }
}
