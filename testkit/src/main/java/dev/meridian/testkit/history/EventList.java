package dev.meridian.testkit.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One key's call and return events in time order, as a doubly linked list (dancing links): linearizing a call lifts
 * its events out, and backtracking puts them back where they were. A call returns at its deadline; one without a
 * deadline never returns, so nothing ever waits for it.
 */
final class EventList {
    private static final int END = -1;
    private static final int HEAD = 0;

    private final int[] callIndex;
    private final boolean[] isCall;
    /** For a call event, its return event, or END when the call has no deadline. */
    private final int[] returnOf;
    private final int[] previous;
    private final int[] next;
    private final int returningCalls;

    EventList(List<Call> calls) {
        record Event(long nanos, boolean call, int index) {}
        var events = new ArrayList<Event>();
        for (int i = 0; i < calls.size(); i++) {
            Call call = calls.get(i);
            events.add(new Event(call.operation().startNanos(), true, i));
            if (call.mustTakeEffect()) {
                events.add(new Event(call.deadlineNanos(), false, i));
            }
        }
        // Calls before returns at the same instant: a call that begins as another ends overlaps it.
        events.sort(Comparator.comparingLong(Event::nanos).thenComparingInt(event -> event.call() ? 0 : 1));
        int size = events.size() + 1;
        callIndex = new int[size];
        isCall = new boolean[size];
        returnOf = new int[size];
        previous = new int[size];
        next = new int[size];
        int[] callEvent = new int[calls.size()];
        for (int e = 1; e < size; e++) {
            Event event = events.get(e - 1);
            callIndex[e] = event.index();
            isCall[e] = event.call();
            if (event.call()) {
                callEvent[event.index()] = e;
                returnOf[e] = END;
            } else {
                returnOf[callEvent[event.index()]] = e;
            }
            previous[e] = e - 1;
            next[e - 1] = e;
        }
        next[size - 1] = END;
        returningCalls = size - 1 - calls.size();
    }

    int first() {
        return next[HEAD];
    }

    int next(int event) {
        return next[event];
    }

    boolean isCall(int event) {
        return isCall[event];
    }

    /** The index (among the calls given) of the call an event belongs to. */
    int callOf(int event) {
        return callIndex[event];
    }

    /** How many calls have a return event: those that must be linearized. */
    int returningCalls() {
        return returningCalls;
    }

    boolean returns(int callEvent) {
        return returnOf[callEvent] != END;
    }

    /** Takes a call event and its return out of the list. */
    void lift(int callEvent) {
        unlink(callEvent);
        if (returns(callEvent)) {
            unlink(returnOf[callEvent]);
        }
    }

    /** Undoes the latest {@link #lift} still in force, which must be that of {@code callEvent}. */
    void unlift(int callEvent) {
        if (returns(callEvent)) {
            relink(returnOf[callEvent]);
        }
        relink(callEvent);
    }

    private void unlink(int event) {
        next[previous[event]] = next[event];
        if (next[event] != END) {
            previous[next[event]] = previous[event];
        }
    }

    private void relink(int event) {
        next[previous[event]] = event;
        if (next[event] != END) {
            previous[next[event]] = event;
        }
    }
}
