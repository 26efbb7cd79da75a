package dev.meridian.tables.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.tables.model.AttributeValue;
import dev.meridian.tables.model.Numbers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyBytesTest {

    @Test
    void numberEncodingSortsExactlyAsNumbersDo() {
        List<BigDecimal> numbers = new ArrayList<>(List.of(new BigDecimal("0"), new BigDecimal("-0.12"),
                new BigDecimal("-0.123"), new BigDecimal("0.12"), new BigDecimal("0.123"), new BigDecimal("1E-130"),
                new BigDecimal("-1E-130"), new BigDecimal("9.9999999999999999999999999999999999999E+125"),
                new BigDecimal("-9.9999999999999999999999999999999999999E+125"), new BigDecimal("10"),
                new BigDecimal("9"), new BigDecimal("-10"), new BigDecimal("-9"), new BigDecimal("100.5")));
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 5000; i++) {
            BigDecimal n = new BigDecimal(random.nextLong() % 1_000_000_000L).movePointLeft(random.nextInt(40) - 20);
            numbers.add(Numbers.check(n));
        }
        for (int i = 0; i < numbers.size(); i++) {
            BigDecimal a = numbers.get(i);
            BigDecimal b = numbers.get(random.nextInt(numbers.size()));
            int expected = Integer.signum(a.compareTo(b));
            int actual = Integer.signum(Arrays.compareUnsigned(KeyBytes.number(a), KeyBytes.number(b)));
            assertThat(actual).as("seed %d: %s vs %s", seed, a, b).isEqualTo(expected);
        }
    }

    @Test
    void equalNumbersEncodeIdentically() {
        assertThat(KeyBytes.value(AttributeValue.N.of("1.50"))).isEqualTo(KeyBytes.value(AttributeValue.N.of("1.5")));
        assertThat(KeyBytes.value(AttributeValue.N.of("-0"))).isEqualTo(KeyBytes.value(AttributeValue.N.of("0.000")));
    }

    @Test
    void stringsSortByUtf8Bytes() {
        List<String> strings = List.of("a", "ab", "b", "Z", "é", "\uD83D\uDE00", "\uFFFD", "");
        List<String> byBytes = strings.stream()
                .sorted(Comparator.comparing(s -> KeyBytes.value(new AttributeValue.S(s)), Arrays::compareUnsigned))
                .toList();
        assertThat(byBytes).containsExactly("", "Z", "a", "ab", "b", "é", "\uFFFD", "\uD83D\uDE00");
    }

    @Test
    void partitionPrefixesNeverOverlap() {
        byte[] a = KeyBytes.item(new AttributeValue.S("a"), new AttributeValue.S("bc"));
        byte[] ab = KeyBytes.partition(new AttributeValue.S("ab"));
        assertThat(Arrays.compareUnsigned(a, KeyBytes.partition(new AttributeValue.S("a")))).isPositive();
        assertThat(Arrays.mismatch(a, ab)).isLessThan(ab.length);
    }

    @Test
    void prefixEndCarriesPastMaximalBytes() {
        assertThat(KeyBytes.prefixEnd(new byte[] {1, (byte) 0xFF})).containsExactly(2);
        assertThat(KeyBytes.prefixEnd(new byte[] {(byte) 0xFF})).isNull();
    }
}
