package dev.meridian.objects.replication;

import java.io.IOException;
import java.util.List;

/** No region asked could serve a blob; the message says what each one answered. */
final class BlobUnavailableException extends IOException {
    BlobUnavailableException(String blobId, List<String> refusals) {
        super("no region served blob " + blobId + (refusals.isEmpty() ? " (no region to ask)" : ": " + refusals));
    }
}
