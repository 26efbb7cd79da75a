package dev.meridian.objects.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging tells a body that broke off from a disk that failed: one is the client's error, the other this region's. */
class BlobStoreTest {
    @TempDir
    Path dir;

    @Test
    void aBodyThatBreaksOffIsNotAStorageFailureAndLeavesNoStagingFile() throws IOException {
        BlobStore blobs = BlobStore.open(dir);
        InputStream broken = new SequenceInputStream(new ByteArrayInputStream(new byte[100_000]), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset by the client");
            }
        });

        assertThatThrownBy(() -> blobs.stage(broken, Set.of(), 1 << 20))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(BlobStore.StorageException.class)
                .hasMessage("connection reset by the client");
        try (var left = Files.list(dir.resolve("staging"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aStagingAreaThatCannotBeWrittenIsAStorageFailure() throws IOException {
        BlobStore blobs = BlobStore.open(dir);
        Files.delete(dir.resolve("staging"));

        assertThatThrownBy(() -> blobs.stage(new ByteArrayInputStream(new byte[10]), Set.of(), 1 << 20))
                .isInstanceOf(BlobStore.StorageException.class)
                .hasMessageStartingWith("cannot write to the blob store: ");
    }
}
