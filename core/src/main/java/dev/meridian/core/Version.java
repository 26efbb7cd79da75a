package dev.meridian.core;

import java.util.Comparator;

/**
 * The version of one write: its hybrid-logical-clock timestamp and the region that made it. Versions are totally
 * ordered (timestamp first, then region name), which is the whole last-writer-wins rule: every region picks the
 * same winner whatever order the writes arrive in.
 */
public record Version(long timestamp, String region) implements Comparable<Version> {
    private static final Comparator<Version> ORDER =
            Comparator.comparingLong(Version::timestamp).thenComparing(Version::region);

    public Version {
        if (region == null || region.isEmpty()) {
            throw new IllegalArgumentException("version needs a region");
        }
    }

    @Override
    public int compareTo(Version other) {
        return ORDER.compare(this, other);
    }

    public boolean isNewerThan(Version other) {
        return compareTo(other) > 0;
    }
}
