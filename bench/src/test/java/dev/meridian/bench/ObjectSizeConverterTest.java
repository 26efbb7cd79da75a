package dev.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ObjectSizeConverterTest {
    private final ObjectSizeConverter converter = new ObjectSizeConverter();

    @Test
    void readsBinaryUnitsAndBareBytes() {
        assertThat(converter.convert("4KiB")).isEqualTo(4096);
        assertThat(converter.convert("64kb")).isEqualTo(65_536);
        assertThat(converter.convert("1MiB")).isEqualTo(1_048_576);
        assertThat(converter.convert(" 2 MB ")).isEqualTo(2_097_152);
        assertThat(converter.convert("512B")).isEqualTo(512);
        assertThat(converter.convert("100")).isEqualTo(100);
    }

    @Test
    void rejectsSizesTooSmallForTheKeyStampOrTooBigToBuffer() {
        assertThatThrownBy(() -> converter.convert("63B")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> converter.convert("17MiB")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> converter.convert("1GiB")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> converter.convert("big")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void describesSizesInTheLargestWholeUnit() {
        assertThat(ObjectSizeConverter.describe(4096)).isEqualTo("4 KiB");
        assertThat(ObjectSizeConverter.describe(1_048_576)).isEqualTo("1 MiB");
        assertThat(ObjectSizeConverter.describe(1536 * 1024)).isEqualTo("1536 KiB");
        assertThat(ObjectSizeConverter.describe(1000)).isEqualTo("1000 B");
    }
}
