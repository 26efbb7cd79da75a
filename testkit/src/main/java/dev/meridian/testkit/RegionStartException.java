package dev.meridian.testkit;

/** A region process of a {@link LocalCluster} could not be started or did not become healthy. */
public final class RegionStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegionStartException(String message) {
        super(message);
    }

    public RegionStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
