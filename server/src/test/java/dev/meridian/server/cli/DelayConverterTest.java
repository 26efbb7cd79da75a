package dev.meridian.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DelayConverterTest {
    private final DelayConverter converter = new DelayConverter();

    @Test
    void readsMillisecondsSecondsAndBareNumbers() {
        assertThat(converter.convert("40ms")).isEqualTo(Duration.ofMillis(40));
        assertThat(converter.convert("0.1s")).isEqualTo(Duration.ofMillis(100));
        assertThat(converter.convert("25")).isEqualTo(Duration.ofMillis(25));
    }

    @Test
    void rejectsAnythingElseSayingHowToWriteIt() {
        assertThatThrownBy(() -> converter.convert("fast"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("40ms");
    }
}
