package dev.meridian.objects;

import java.util.Optional;

/** The {@code x-amz-replication-status} of an object version, as this region reports it. */
public enum ReplicationStatus {
    /** The source region: some destination does not have the bytes yet. */
    PENDING,
    /** The source region: every destination has the bytes. */
    COMPLETED,
    /** The source region: some destination gave up copying the bytes. */
    FAILED,
    /** A destination region: this is a copy of another region's write. */
    REPLICA,
    /** The bucket replicates this object nowhere: S3 sends no header. */
    NONE;

    /** The header's value, empty for {@link #NONE}. */
    public Optional<String> header() {
        return this == NONE ? Optional.empty() : Optional.of(name());
    }
}
