package dev.meridian.objects;

import dev.meridian.fabric.Fabric;
import dev.meridian.fabric.Mutation;
import dev.meridian.fabric.Record;
import dev.meridian.fabric.RecordCursor;
import dev.meridian.objects.s3.S3Error;
import dev.meridian.objects.s3.S3Exception;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Object versions in the fabric's {@code s3.objects} keyspace, one fabric key per version slot: {@code "null"} for
 * writes versioning does not keep apart, a fresh version id for each write to a versioning-enabled bucket. A key's
 * current version is its newest slot by fabric version (hybrid clock, then region), so concurrent writes of one key
 * in two regions settle on the same current version everywhere.
 */
public final class ObjectCatalog {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Comparator<StoredVersion> NEWEST_FIRST =
            Comparator.comparing(StoredVersion::order).reversed();

    /** The precondition of a write or delete that does not depend on the key's current version: nothing is read. */
    public static final Consumer<Optional<StoredVersion>> UNCONDITIONAL = current -> {};

    private final Fabric fabric;
    /** Serializes a region's writes to one object key, so a conditional write sees every slot settled. */
    private final ReentrantLock[] keyLocks = new ReentrantLock[256];

    ObjectCatalog(Fabric fabric) {
        this.fabric = fabric;
        for (int i = 0; i < keyLocks.length; i++) {
            keyLocks[i] = new ReentrantLock();
        }
    }

    /** Calls {@code onChange} with the bucket, key and slot of every local or replicated version change. */
    public void watch(Consumer<ObjectKeys.Slot> onChange) {
        fabric.watch(ObjectKeys.KEYSPACE, key -> onChange.accept(ObjectKeys.parse(key)));
    }

    /** The key's newest version, which may be a delete marker; empty when it has no versions. */
    public Optional<StoredVersion> latest(String bucket, String key) {
        return versions(bucket, key).stream().findFirst();
    }

    /** One version by id, or NoSuchVersion (NoSuchKey when the key has no versions at all, as S3 answers). */
    public StoredVersion version(String bucket, String key, String versionId) {
        return fabric.get(ObjectKeys.KEYSPACE, ObjectKeys.slot(bucket, key, versionId))
                .map(record -> stored(bucket, key, record))
                .orElseThrow(() -> new S3Exception(S3Error.NO_SUCH_VERSION).with("Key", key).with("VersionId", versionId));
    }

    /** The slot record, if present: how replication finds what a changed fabric key now holds. */
    public Optional<StoredVersion> slot(ObjectKeys.Slot slot) {
        return fabric.get(ObjectKeys.KEYSPACE, ObjectKeys.slot(slot.bucket(), slot.key(), slot.versionSlot()))
                .map(record -> stored(slot.bucket(), slot.key(), record));
    }

    /** Every version of the key, newest first. */
    List<StoredVersion> versions(String bucket, String key) {
        List<StoredVersion> versions = new ArrayList<>();
        try (RecordCursor cursor = fabric.scan(ObjectKeys.KEYSPACE, ObjectKeys.versionsStart(bucket, key),
                ObjectKeys.versionsEnd(bucket, key), false)) {
            cursor.forEachRemaining(record -> versions.add(stored(bucket, key, record)));
        }
        versions.sort(NEWEST_FIRST);
        return versions;
    }

    /**
     * Writes {@code object} as a version of {@code key}, in its own slot; {@code precondition} may refuse given the
     * key's current version (by throwing). Returns once durable locally.
     */
    StoredVersion put(String bucket, String key, ObjectVersion object, Consumer<Optional<StoredVersion>> precondition) {
        ReentrantLock lock = lockOf(bucket, key);
        lock.lock();
        try {
            check(precondition, bucket, key);
            fabric.mutate(ObjectKeys.KEYSPACE, ObjectKeys.slot(bucket, key, object.versionId()),
                    current -> Mutation.put(Json.encode(object), null));
            return version(bucket, key, object.versionId());
        } finally {
            lock.unlock();
        }
    }

    /**
     * DeleteObject: without a version id, the current version goes away (unversioned), or a delete marker becomes
     * current (versioning enabled or suspended); with one, that version is removed for good. {@code precondition}
     * may refuse given the key's current version (by throwing), as for {@link #put}.
     */
    DeleteOutcome delete(Bucket bucket, String key, String versionId, long nowMillis, String region,
            Consumer<Optional<StoredVersion>> precondition) {
        ReentrantLock lock = lockOf(bucket.name(), key);
        lock.lock();
        try {
            check(precondition, bucket.name(), key);
            // Tombstones even for what is absent here: a version written earlier elsewhere may not have arrived yet,
            // and must not appear when it does (last-writer-wins orders it before this delete).
            if (versionId != null) {
                Optional<Record> removed = fabric.mutate(ObjectKeys.KEYSPACE,
                        ObjectKeys.slot(bucket.name(), key, versionId), current -> Mutation.delete(current));
                boolean marker = removed.map(r -> Json.decode(r.value(), ObjectVersion.class).deleteMarker()).orElse(false);
                return new DeleteOutcome(versionId, marker);
            }
            if (bucket.versioning() == Bucket.Versioning.OFF) {
                fabric.mutate(ObjectKeys.KEYSPACE, ObjectKeys.slot(bucket.name(), key, ObjectVersion.NULL_VERSION),
                        current -> Mutation.delete(null));
                return new DeleteOutcome(null, false);
            }
            String markerId = bucket.versioning() == Bucket.Versioning.ENABLED ? newVersionId() : ObjectVersion.NULL_VERSION;
            ObjectVersion marker = ObjectVersion.deleteMarker(markerId, nowMillis, region);
            fabric.mutate(ObjectKeys.KEYSPACE, ObjectKeys.slot(bucket.name(), key, markerId),
                    current -> Mutation.put(Json.encode(marker), null));
            return new DeleteOutcome(markerId, true);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code precondition} on the key's current version (none when that is a delete marker). */
    private void check(Consumer<Optional<StoredVersion>> precondition, String bucket, String key) {
        if (precondition != UNCONDITIONAL) {
            precondition.accept(latest(bucket, key).filter(v -> !v.object().deleteMarker()));
        }
    }

    /** What DeleteObject answers: the version id it removed or created (null when none), and whether a marker. */
    public record DeleteOutcome(String versionId, boolean deleteMarker) {}

    /** Whether the bucket holds no version and no delete marker. */
    boolean isEmpty(String bucket) {
        try (RecordCursor cursor = fabric.scan(ObjectKeys.KEYSPACE, ObjectKeys.prefixStart(bucket, ""),
                ObjectKeys.prefixEnd(bucket, ""), false)) {
            return !cursor.hasNext();
        }
    }

    /**
     * ListObjects: current versions of keys starting with {@code prefix} after {@code after} (null: from the start),
     * rolling keys up to common prefixes at {@code delimiter} (null or empty: none), at most {@code maxKeys} entries.
     */
    public ObjectListing list(String bucket, String prefix, String delimiter, String after, int maxKeys) {
        var page = new Page(maxKeys);
        try (var scan = new KeyScan(bucket, prefix, after)) {
            for (KeyGroup group = scan.next(); group != null; group = scan.next()) {
                String common = commonPrefix(group.key(), prefix, delimiter);
                if (common != null) {
                    scan.skipPrefix(common);
                    if (!common.equals(after) && !page.addPrefix(common)) {
                        break;
                    }
                    continue;
                }
                StoredVersion current = group.versions().get(0);
                if (!current.object().deleteMarker() && !page.addEntry(
                        new ObjectEntry(group.key(), current.object(), true), group.key())) {
                    break;
                }
            }
        }
        return new ObjectListing(page.entries, page.prefixes, page.truncated, page.last);
    }

    /**
     * ListObjectVersions: every version and delete marker of keys starting with {@code prefix}, after
     * ({@code keyMarker}, {@code versionIdMarker}), at most {@code maxKeys} entries.
     */
    public VersionListing listVersions(String bucket, String prefix, String delimiter, String keyMarker,
            String versionIdMarker, int maxKeys) {
        var page = new Page(maxKeys);
        String lastVersionId = null;
        boolean resumeWithinKey = keyMarker != null && versionIdMarker != null && !versionIdMarker.isEmpty();
        try (var scan = new KeyScan(bucket, prefix, resumeWithinKey ? null : keyMarker)) {
            if (resumeWithinKey) {
                scan.seek(ObjectKeys.versionsStart(bucket, keyMarker));
            }
            scanning:
            for (KeyGroup group = scan.next(); group != null; group = scan.next()) {
                String common = commonPrefix(group.key(), prefix, delimiter);
                if (common != null) {
                    scan.skipPrefix(common);
                    if (!common.equals(keyMarker) && !page.addPrefix(common)) {
                        break;
                    }
                    continue;
                }
                boolean skipping = resumeWithinKey && group.key().equals(keyMarker);
                List<StoredVersion> versions = group.versions();
                for (int i = 0; i < versions.size(); i++) {
                    StoredVersion version = versions.get(i);
                    if (skipping) {
                        skipping = !version.object().versionId().equals(versionIdMarker);
                        continue;
                    }
                    if (!page.addEntry(new ObjectEntry(group.key(), version.object(), i == 0), group.key())) {
                        break scanning;
                    }
                    lastVersionId = version.object().versionId();
                }
            }
        }
        return new VersionListing(page.entries, page.prefixes, page.truncated,
                page.truncated ? page.last : null, page.truncated && page.lastWasEntry ? lastVersionId : null);
    }

    private static String commonPrefix(String key, String prefix, String delimiter) {
        if (delimiter == null || delimiter.isEmpty()) {
            return null;
        }
        int at = key.indexOf(delimiter, prefix.length());
        return at < 0 ? null : key.substring(0, at + delimiter.length());
    }

    private StoredVersion stored(String bucket, String key, Record record) {
        return new StoredVersion(bucket, key, Json.decode(record.value(), ObjectVersion.class), record.version());
    }

    private ReentrantLock lockOf(String bucket, String key) {
        return keyLocks[Math.floorMod(bucket.hashCode() * 31 + key.hashCode(), keyLocks.length)];
    }

    static String newVersionId() {
        byte[] id = new byte[18];
        RANDOM.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    /** A listing page being filled: entries and common prefixes share one {@code maxKeys} budget. */
    private static final class Page {
        final int max;
        final List<ObjectEntry> entries = new ArrayList<>();
        final List<String> prefixes = new ArrayList<>();
        boolean truncated;
        String last;
        boolean lastWasEntry;

        Page(int max) {
            this.max = max;
        }

        /** Adds unless the page is full ({@link #full}), in which case false is returned. */
        boolean addEntry(ObjectEntry entry, String key) {
            if (full()) {
                return false;
            }
            entries.add(entry);
            last = key;
            lastWasEntry = true;
            return true;
        }

        boolean addPrefix(String prefix) {
            if (!prefixes.isEmpty() && prefixes.get(prefixes.size() - 1).equals(prefix)) {
                return true;
            }
            if (full()) {
                return false;
            }
            prefixes.add(prefix);
            last = prefix;
            lastWasEntry = false;
            return true;
        }

        /**
         * Whether the page has no room left, marking it truncated then; a page of 0 (max-keys=0) is never truncated,
         * as S3 answers it with nothing and no continuation.
         */
        private boolean full() {
            if (entries.size() + prefixes.size() < max) {
                return false;
            }
            truncated = max > 0;
            return true;
        }
    }

    /** One key's versions, newest first. */
    private record KeyGroup(String key, List<StoredVersion> versions) {}

    /** Walks a bucket's keys under a prefix in order, a key's versions at a time, able to jump past a prefix. */
    private final class KeyScan implements AutoCloseable {
        private final String bucket;
        private final byte[] end;
        private RecordCursor cursor;
        private Record pending;

        KeyScan(String bucket, String prefix, String after) {
            this.bucket = bucket;
            this.end = ObjectKeys.prefixEnd(bucket, prefix);
            byte[] start = ObjectKeys.prefixStart(bucket, prefix);
            if (after != null) {
                byte[] afterKey = ObjectKeys.versionsEnd(bucket, after);
                start = Arrays.compareUnsigned(afterKey, start) > 0 ? afterKey : start;
            }
            seek(start);
        }

        void seek(byte[] from) {
            close();
            cursor = fabric.scan(ObjectKeys.KEYSPACE, from, end, false);
            pending = null;
        }

        void skipPrefix(String prefix) {
            byte[] next = ObjectKeys.prefixEnd(bucket, prefix);
            if (next == null || (end != null && Arrays.compareUnsigned(next, end) >= 0)) {
                close();
                cursor = null;
                pending = null;
            } else {
                seek(next);
            }
        }

        KeyGroup next() {
            if (cursor == null) {
                return null;
            }
            Record first = pending != null ? pending : (cursor.hasNext() ? cursor.next() : null);
            pending = null;
            if (first == null) {
                return null;
            }
            ObjectKeys.Slot slot = ObjectKeys.parse(first.key());
            List<StoredVersion> versions = new ArrayList<>();
            versions.add(stored(bucket, slot.key(), first));
            while (cursor.hasNext()) {
                Record record = cursor.next();
                ObjectKeys.Slot next = ObjectKeys.parse(record.key());
                if (!next.key().equals(slot.key())) {
                    pending = record;
                    break;
                }
                versions.add(stored(bucket, slot.key(), record));
            }
            versions.sort(NEWEST_FIRST);
            return new KeyGroup(slot.key(), versions);
        }

        @Override
        public void close() {
            if (cursor != null) {
                cursor.close();
            }
        }
    }
}
