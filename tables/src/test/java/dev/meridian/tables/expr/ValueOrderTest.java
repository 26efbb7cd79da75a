package dev.meridian.tables.expr;

import static dev.meridian.tables.expr.Values.b;
import static dev.meridian.tables.expr.Values.n;
import static dev.meridian.tables.expr.Values.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.tables.model.AttributeValue;
import org.junit.jupiter.api.Test;

class ValueOrderTest {

    @Test
    void numbersCompareExactlyAsDecimals() {
        assertThat(ValueOrder.compare(n("9"), n("10"))).isNegative();
        assertThat(ValueOrder.compare(n("-1"), n("-0.5"))).isNegative();
        assertThat(ValueOrder.compare(n("1.0"), n("1"))).isZero();
        assertThat(ValueOrder.compare(n("12345678901234567890123456789012345678"), n("12345678901234567890123456789012345677"))).isPositive();
    }

    @Test
    void stringsCompareByUtf8BytesNotUtf16Units() {
        assertThat(ValueOrder.compare(s("Z"), s("a"))).isNegative();
        assertThat(ValueOrder.compare(s("ab"), s("abc"))).isNegative();
        // U+FFFF encodes as EF BF BF, U+1D11E as F0 9D 84 9E; in UTF-16 the surrogate D834 would sort first.
        assertThat(ValueOrder.compare(s("\uFFFF"), s("𝄞"))).isNegative();
    }

    @Test
    void binariesCompareAsUnsignedBytes() {
        var high = new AttributeValue.B(new byte[] {(byte) 0xFF});
        var low = new AttributeValue.B(new byte[] {0x01});

        assertThat(ValueOrder.compare(low, high)).isNegative();
        assertThat(ValueOrder.compare(b("ab"), b("a"))).isPositive();
    }

    @Test
    void onlyTwoScalarsOfOneTypeAreOrderable() {
        assertThat(ValueOrder.orderable(n("1"), s("1"))).isFalse();
        assertThat(ValueOrder.orderable(new AttributeValue.Bool(true), new AttributeValue.Bool(false))).isFalse();
        assertThatThrownBy(() -> ValueOrder.compare(n("1"), s("1"))).isInstanceOf(IllegalArgumentException.class);
    }
}
