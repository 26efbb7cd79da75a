package dev.meridian.objects.replication;

/**
 * What a destination region recorded about its copy of one blob, as the copy ledger stores it.
 *
 * @param bucket the bucket of the version the blob belongs to
 * @param origin the region that wrote the version (the source of the copy)
 * @param committedMillis when the origin committed the version (physical part of its hybrid clock)
 * @param landedMillis when the bytes were durable here; 0 unless {@link State#COMPLETED}
 * @param error why the copy keeps failing; empty unless {@link State#FAILED}
 */
record CopyRecord(State state, String bucket, String origin, long committedMillis, long landedMillis, String error) {
    enum State { COMPLETED, FAILED }

    boolean completed() {
        return state == State.COMPLETED;
    }
}
