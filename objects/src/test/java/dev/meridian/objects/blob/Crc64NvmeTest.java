package dev.meridian.objects.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.crt.checksums.CRC64NVME;

class Crc64NvmeTest {
    @Test
    void givesTheCatalogueCheckValue() {
        // The check value of CRC-64/NVME in the CRC catalogue: the CRC of the ASCII digits 1 to 9.
        assertThat(crc(new byte[0], "123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xAE8B14860A799888L);
    }

    @Property(tries = 200)
    void agreesWithTheAwsCommonRuntime(@ForAll @Size(max = 3000) byte[] bytes, @ForAll @IntRange(max = 40) int offset) {
        byte[] padded = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, padded, offset, bytes.length);
        var ours = new Crc64Nvme();
        ours.update(padded, offset, bytes.length);
        var theirs = new CRC64NVME();
        theirs.update(bytes, 0, bytes.length);
        assertThat(ours.getValue()).isEqualTo(theirs.getValue());
    }

    private static long crc(byte[] first, byte[] second) {
        var crc = new Crc64Nvme();
        crc.update(first, 0, first.length);
        for (byte b : second) {
            crc.update(b);
        }
        return crc.getValue();
    }
}
