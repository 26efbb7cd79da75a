package dev.meridian.testkit.history;

/** A guarantee a run broke: which check found it, and what it saw. */
public record Violation(String check, String description) {
    @Override
    public String toString() {
        return check + ": " + description;
    }
}
