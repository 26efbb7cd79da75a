package dev.meridian.gateway.health;

import dev.meridian.gateway.RegionTarget;

/**
 * One region's health as the probes see it: an explicit state machine (UNKNOWN until the first verdict, then IN or
 * OUT, moved by consecutive results against the thresholds), the probe latency smoothed, and whether the region
 * last reported itself cut off from every peer. Owned by the {@link HealthChecker}'s probe thread; read from any.
 */
final class RegionHealth {
    enum State { UNKNOWN, IN, OUT }

    /** Weight of a new latency sample: about the last ten probes count. */
    private static final double SMOOTHING = 0.2;

    private final RegionTarget target;
    private final HealthSettings settings;
    private State state = State.UNKNOWN;
    private int successesInARow;
    private int failuresInARow;
    private double latencyMillis = Double.NaN;
    private boolean isolated;
    private String lastFailure = "";

    RegionHealth(RegionTarget target, HealthSettings settings) {
        this.target = target;
        this.settings = settings;
    }

    RegionTarget target() {
        return target;
    }

    /** Records a probe that answered 200; returns whether the state changed. */
    synchronized boolean succeeded(double millis, boolean isolatedNow) {
        latencyMillis = Double.isNaN(latencyMillis) ? millis : latencyMillis + SMOOTHING * (millis - latencyMillis);
        isolated = isolatedNow;
        failuresInARow = 0;
        successesInARow++;
        // The first probe decides alone: a gateway starting next to healthy regions takes traffic at once.
        if (state == State.UNKNOWN || (state == State.OUT && successesInARow >= settings.successThreshold())) {
            state = State.IN;
            return true;
        }
        return false;
    }

    /** Records a failed probe or request ({@code immediate}: a refused connection, which needs no second opinion). */
    synchronized boolean failed(String why, boolean immediate) {
        lastFailure = why;
        successesInARow = 0;
        failuresInARow++;
        if (state != State.OUT && (immediate || state == State.UNKNOWN
                || failuresInARow >= settings.failureThreshold())) {
            state = State.OUT;
            return true;
        }
        return false;
    }

    synchronized State state() {
        return state;
    }

    synchronized boolean isolated() {
        return isolated;
    }

    synchronized double latencyMillis() {
        return latencyMillis;
    }

    synchronized String lastFailure() {
        return lastFailure;
    }
}
