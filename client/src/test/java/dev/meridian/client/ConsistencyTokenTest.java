package dev.meridian.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ConsistencyTokenTest {
    @Property(tries = 500)
    void encodingRoundTrips(@ForAll("positions") Map<String, Long> positions) {
        ConsistencyToken token = ConsistencyToken.of(positions);
        assertThat(ConsistencyToken.parse(token.encode())).isEqualTo(token);
        assertThat(token.encode()).matches("m1\\.[A-Za-z0-9_-]*");
    }

    @Property(tries = 500)
    void mergeKeepsTheFurtherPositionOfEachRegion(@ForAll("positions") Map<String, Long> a, @ForAll("positions") Map<String, Long> b) {
        ConsistencyToken merged = ConsistencyToken.of(a).merge(ConsistencyToken.of(b));
        assertThat(merged).isEqualTo(ConsistencyToken.of(b).merge(ConsistencyToken.of(a)));
        merged.positions().forEach((region, position) ->
                assertThat(position).isEqualTo(Math.max(a.getOrDefault(region, 0L), b.getOrDefault(region, 0L))));
    }

    @Property(tries = 1000)
    void garbageIsRefusedWithIllegalArgument(@ForAll("garbage") String text) {
        ConsistencyToken token;
        try {
            token = ConsistencyToken.parse(text);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertThat(ConsistencyToken.parse(token.encode())).isEqualTo(token);
    }

    @Test
    void refusesWhatMeridianNeverWrites() {
        assertThatThrownBy(() -> ConsistencyToken.parse("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsistencyToken.parse("m1.***")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsistencyToken.of(Map.of("US East", 1L))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsistencyToken.of(Map.of("us-east-1", -1L))).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<Map<String, Long>> positions() {
        Arbitrary<String> regions = Arbitraries.of("us-east-1", "eu-west-1", "ap-southeast-1", "r", "a-b-c-d");
        return Arbitraries.maps(regions, Arbitraries.longs().between(0, Long.MAX_VALUE)).ofMaxSize(5)
                .map(HashMap::new);
    }

    @Provide
    Arbitrary<String> garbage() {
        Arbitrary<String> tail = Arbitraries.strings().withChars("AZaz09-_=+/.\u00e9 ").ofMaxLength(40);
        return Arbitraries.oneOf(tail, tail.map(t -> "m1." + t));
    }
}
