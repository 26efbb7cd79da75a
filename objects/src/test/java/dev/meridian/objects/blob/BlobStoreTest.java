package dev.meridian.objects.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Staged bytes come back exactly as written, at every length around the writer's block and buffer edges; and staging
 * tells a body that broke off from a disk that failed: one is the client's error, the other this region's.
 */
class BlobStoreTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 511, 4095, 4096, 4097, 262_143, 262_144, 262_145, 1_048_579})
    void stagedBytesAreTheBodyExactlyAndSurviveTheCommit(int length) throws Exception {
        BlobStore blobs = BlobStore.open(dir);
        byte[] body = new byte[length];
        new Random(length).nextBytes(body);

        StagedBlob staged = blobs.stage(new ByteArrayInputStream(body), Set.of(), 2 << 20);
        assertThat(staged.size()).isEqualTo(length);
        assertThat(staged.md5()).isEqualTo(MessageDigest.getInstance("MD5").digest(body));
        var crc32c = new CRC32C();
        crc32c.update(body);
        assertThat(staged.crc32c()).hasValue((int) crc32c.getValue());
        StagedBlob copy = blobs.stageCopy(new ByteArrayInputStream(body), length);
        assertThat(copy.crc32c()).isEqualTo(staged.crc32c());
        assertThat(Files.readAllBytes(copy.file())).isEqualTo(body);
        copy.discard();
        assertThat(Files.readAllBytes(staged.file())).isEqualTo(body);

        String blobId = BlobStore.newBlobId(BlobStore.slotDigest(new byte[] {1}));
        blobs.commit(staged, blobId);
        assertThat(Files.readAllBytes(blobs.find(blobId).orElseThrow())).isEqualTo(body);
        try (var left = Files.list(dir.resolve("staging"))) {
            assertThat(left).isEmpty();
        }
    }

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
