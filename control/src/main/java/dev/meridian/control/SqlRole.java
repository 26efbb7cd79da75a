package dev.meridian.control;

import java.util.Objects;

/**
 * Which member is the SQL primary, and the fencing epoch that goes with it.
 *
 * @param primary the member whose PostgreSQL is read-write
 * @param epoch starts at 1 and grows by one on every change of primary; a write stamped with an older epoch is stale
 */
public record SqlRole(String primary, long epoch) {
    public SqlRole {
        Objects.requireNonNull(primary, "primary");
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, got " + epoch);
        }
    }
}
