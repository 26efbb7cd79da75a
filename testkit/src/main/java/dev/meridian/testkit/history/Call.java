package dev.meridian.testkit.history;

/**
 * One call the linearization search may place: the operation, and the instant by which it must have taken effect.
 * An acknowledged call must by its end; an unanswered one may never take effect, unless what others saw requires it.
 */
record Call(Operation operation, long deadlineNanos) {
    /** The deadline of a call that may also never take effect. */
    static final long NONE = Long.MAX_VALUE;

    boolean mustTakeEffect() {
        return deadlineNanos != NONE;
    }
}
