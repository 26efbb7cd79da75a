package dev.meridian.objects.replication;

import dev.meridian.objects.s3.ByteRange;
import java.util.Optional;

/**
 * What one region asks another for: the bytes of a blob (a range of them, or all), with the size the asker expects
 * the whole blob to have and the region that wrote it (the first place a relay looks).
 */
record BlobRequest(String blobId, long size, Optional<ByteRange> range, String origin) {}
