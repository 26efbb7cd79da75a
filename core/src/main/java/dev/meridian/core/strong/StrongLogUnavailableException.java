package dev.meridian.core.strong;

/**
 * The strong log could not agree in time: this region cannot reach a majority of the members. A write refused this
 * way may still be agreed later (its proposal may have reached the leader), so clients retry it, which the
 * compare-and-set makes safe.
 */
public final class StrongLogUnavailableException extends RuntimeException {
    public StrongLogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
