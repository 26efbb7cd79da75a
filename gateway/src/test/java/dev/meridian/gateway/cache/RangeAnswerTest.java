package dev.meridian.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RangeAnswerTest {
    @Test
    void singleRangesResolveAgainstTheBodyLength() {
        assertThat(RangeAnswer.of("bytes=0-0", 10)).isEqualTo(new RangeAnswer.Part(0, 0));
        assertThat(RangeAnswer.of("bytes=5-", 10)).isEqualTo(new RangeAnswer.Part(5, 9));
        assertThat(RangeAnswer.of("bytes=5-100", 10)).isEqualTo(new RangeAnswer.Part(5, 9));
        assertThat(RangeAnswer.of("bytes=-4", 10)).isEqualTo(new RangeAnswer.Part(6, 9));
        assertThat(RangeAnswer.of("bytes=-40", 10)).isEqualTo(new RangeAnswer.Part(0, 9));
    }

    @Test
    void rangesStartingBeyondTheBodyAreUnsatisfiable() {
        assertThat(RangeAnswer.of("bytes=10-", 10)).isInstanceOf(RangeAnswer.Unsatisfiable.class);
        assertThat(RangeAnswer.of("bytes=-0", 10)).isInstanceOf(RangeAnswer.Unsatisfiable.class);
        assertThat(RangeAnswer.of("bytes=0-", 0)).isInstanceOf(RangeAnswer.Unsatisfiable.class);
    }

    @Test
    void malformedOrMultipleRangesAreAnsweredWithTheWholeBody() {
        assertThat(RangeAnswer.of("bytes=0-1,4-5", 10)).isInstanceOf(RangeAnswer.Whole.class);
        assertThat(RangeAnswer.of("bytes=5-2", 10)).isInstanceOf(RangeAnswer.Whole.class);
        assertThat(RangeAnswer.of("bytes=a-b", 10)).isInstanceOf(RangeAnswer.Whole.class);
        assertThat(RangeAnswer.of("items=0-1", 10)).isInstanceOf(RangeAnswer.Whole.class);
        assertThat(RangeAnswer.of("bytes=-", 10)).isInstanceOf(RangeAnswer.Whole.class);
    }
}
