package dev.meridian.objects;

import java.util.List;
import java.util.Objects;

/**
 * A bucket as every region sees it: buckets are global, created once and present everywhere.
 *
 * @param name the bucket name
 * @param createdMillis when it was created (epoch millis)
 * @param versioning {@link Versioning#OFF} until versioning is first configured
 * @param replicateTo the regions that hold copies of its objects' bytes; empty means every region
 */
public record Bucket(String name, long createdMillis, Versioning versioning, List<String> replicateTo) {
    public Bucket {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(versioning, "versioning");
        replicateTo = List.copyOf(replicateTo);
    }

    /** Bucket versioning as S3 has it: never configured, enabled, or suspended after being enabled. */
    public enum Versioning { OFF, ENABLED, SUSPENDED }

    public Bucket withVersioning(Versioning status) {
        return new Bucket(name, createdMillis, status, replicateTo);
    }

    /** Whether {@code region} keeps a copy of this bucket's object bytes. */
    public boolean replicatesTo(String region) {
        return replicateTo.isEmpty() || replicateTo.contains(region);
    }
}
