package dev.meridian.objects.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CrcCombinationTest {
    @Property(tries = 100)
    void combinesTwoRunsIntoTheCrcOfBoth(@ForAll @Size(max = 2000) byte[] first,
            @ForAll @Size(max = 2000) byte[] second) {
        assertCombines(CrcCombination.CRC32, CRC32::new, first, second);
        assertCombines(CrcCombination.CRC32C, CRC32C::new, first, second);
        assertCombines(CrcCombination.CRC64NVME, Crc64Nvme::new, first, second);
    }

    @Test
    void combinesPartsOfManyMegabytes() {
        byte[] first = bytes(5 * 1024 * 1024, 1);
        byte[] second = bytes(8 * 1024 * 1024 + 7, 2);
        byte[] third = bytes(1, 3);
        long whole = crc(CRC32C::new, first, second, third);
        List<byte[]> partCrcs = List.of(first, second, third).stream().map(part -> big(crc(CRC32C::new, part), 4))
                .toList();
        byte[] combined = CrcCombination.CRC32C.ofParts(partCrcs,
                List.of((long) first.length, (long) second.length, (long) third.length));
        assertThat(combined).isEqualTo(big(whole, 4));
    }

    private static void assertCombines(CrcCombination combination, Supplier<java.util.zip.Checksum> crc, byte[] first,
            byte[] second) {
        assertThat(combination.combine(crc(crc, first), crc(crc, second), second.length))
                .isEqualTo(crc(crc, first, second));
    }

    private static long crc(Supplier<java.util.zip.Checksum> algorithm, byte[]... runs) {
        java.util.zip.Checksum crc = algorithm.get();
        for (byte[] run : runs) {
            crc.update(run, 0, run.length);
        }
        return crc.getValue();
    }

    private static byte[] big(long value, int bytes) {
        ByteBuffer out = ByteBuffer.allocate(bytes);
        return (bytes == 8 ? out.putLong(value) : out.putInt((int) value)).array();
    }

    private static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
