package dev.meridian.control;

/** A control-plane request that could not be carried out: rejected by the agreed state, or no majority answered. */
public final class ControlException extends RuntimeException {
    public ControlException(String message) {
        super(message);
    }

    public ControlException(String message, Throwable cause) {
        super(message, cause);
    }
}
