package dev.meridian.objects.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.stream.ByteStreamMessage;
import com.linecorp.armeria.common.stream.StreamMessage;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A range of a stored file comes out exactly, whether it is read whole up front or streamed in blocks. */
class BlobStreamsTest {
    private static final int FILE_SIZE = 3 << 20;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "0, 1", "0, 1048576", "7, 1048576", "1048575, 262145", // read whole
        "0, 1048577", "3, 3145725", "2097152, 1048576" // longer than 1 MiB: streamed
    })
    void aRangeIsExactlyTheFilesBytes(long offset, int length) throws Exception {
        byte[] content = new byte[FILE_SIZE];
        new Random(offset * 31 + length).nextBytes(content);
        Path file = Files.write(dir.resolve("blob"), content);

        byte[] expected = Arrays.copyOfRange(content, (int) offset, (int) offset + length);
        assertThat(collect(BlobStreams.rangeBlocking(file, offset, length))).isEqualTo(expected);
        assertThat(collect(BlobStreams.range(file, offset, length))).isEqualTo(expected);
    }

    @Test
    void wholeReadsGiveBackTheirShareOfTheBudgetOnceSent() throws Exception {
        byte[] content = new byte[1 << 20];
        new Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("blob"), content);

        // Twice the bytes the budget allows in flight, each sent before the next is read.
        for (int i = 0; i < 128; i++) {
            StreamMessage<HttpData> body = BlobStreams.rangeBlocking(file, 0, content.length);
            assertThat(body).as("read %d", i).isNotInstanceOf(ByteStreamMessage.class);
            assertThat(collect(body)).isEqualTo(content);
        }
    }

    @Test
    void aFileShorterThanTheRangeIsAnErrorNotAShortBody() throws Exception {
        Path file = Files.write(dir.resolve("short"), new byte[10]);

        assertThatThrownBy(() -> BlobStreams.rangeBlocking(file, 4, 20))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(EOFException.class);
    }

    private static byte[] collect(StreamMessage<HttpData> stream) {
        var bytes = new ByteArrayOutputStream();
        stream.collect().join().forEach(data -> {
            bytes.writeBytes(data.array());
            data.close();
        });
        return bytes.toByteArray();
    }
}
