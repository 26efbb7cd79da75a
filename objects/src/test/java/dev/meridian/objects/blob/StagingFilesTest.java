package dev.meridian.objects.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** On a file system that takes {@code O_DIRECT} writes, staging files are written direct and keep their exact length. */
class StagingFilesTest {
    /** Local file systems whose files take direct writes of whole blocks. */
    private static final Set<String> DIRECT_CAPABLE = Set.of("ext4", "xfs");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4096, 4097, 262_145, 600_001})
    void aDirectWriteKeepsTheBytesAndTheLength(int length) throws IOException {
        assumeTrue(DIRECT_CAPABLE.contains(Files.getFileStore(dir).type()), "no direct writes expected here");
        StagingFiles files = StagingFiles.in(dir);
        assertThat(files.direct()).isTrue();
        byte[] body = new byte[length];
        new Random(length).nextBytes(body);
        Path file = Files.createTempFile(dir, "put-", ".part");

        try (StagingFiles.Writer writer = files.open(file)) {
            // In uneven pieces, as a body arrives.
            for (int offset = 0; offset < length; offset += 70_001) {
                writer.write(body, offset, Math.min(70_001, length - offset));
            }
            writer.finish();
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(body);
    }
}
