package dev.meridian.sql.endpoint;

import java.util.Locale;
import java.util.Optional;

/** A session's {@code meridian.read_consistency}, with Aurora's meanings for reads in a secondary region. */
public enum ReadConsistency {
    /** Read the local standby as it is. */
    EVENTUAL,
    /** Wait, bounded, until the standby has replayed this session's own forwarded writes. */
    SESSION,
    /** Wait, bounded, until the standby has replayed everything the primary committed before the read began. */
    GLOBAL;

    public static final String PARAMETER = "meridian.read_consistency";

    /** The setting's value as written in SQL or config ({@code 'session'}, {@code GLOBAL}, ...), if it is one. */
    public static Optional<ReadConsistency> parse(String value) {
        for (ReadConsistency mode : values()) {
            if (mode.name().equalsIgnoreCase(value.trim())) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }

    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
