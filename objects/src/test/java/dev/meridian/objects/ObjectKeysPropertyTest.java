package dev.meridian.objects;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

/** The fabric key encoding keeps S3's listing order and round-trips any key, NUL and all. */
class ObjectKeysPropertyTest {
    @Property
    void fabricKeysSortAsS3SortsKeys(@ForAll @StringLength(max = 12) String a,
            @ForAll @StringLength(max = 12) String b) {
        int s3Order = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8)));
        int fabricOrder = Integer.signum(Arrays.compareUnsigned(ObjectKeys.slot("bucket", a, "v"),
                ObjectKeys.slot("bucket", b, "v")));
        if (s3Order != 0) {
            assertThat(fabricOrder).isEqualTo(s3Order);
        }
    }

    @Property
    void slotsParseBack(@ForAll @StringLength(max = 20) String key,
            @ForAll @StringLength(min = 1, max = 8) String slot) {
        ObjectKeys.Slot parsed = ObjectKeys.parse(ObjectKeys.slot("media", key, slot));
        assertThat(parsed).isEqualTo(new ObjectKeys.Slot("media", key, slot));
    }

    @Property
    void aPrefixRangeHoldsExactlyTheKeysWithThatPrefix(@ForAll @StringLength(max = 6) String prefix,
            @ForAll @StringLength(max = 10) String key) {
        byte[] slot = ObjectKeys.slot("media", key, "null");
        byte[] start = ObjectKeys.prefixStart("media", prefix);
        byte[] end = ObjectKeys.prefixEnd("media", prefix);
        boolean inRange = Arrays.compareUnsigned(slot, start) >= 0
                && (end == null || Arrays.compareUnsigned(slot, end) < 0);
        assertThat(inRange).isEqualTo(key.startsWith(prefix));
    }

    @Property
    void versionsEndIsPastEveryVersionOfTheKeyAndBeforeTheNextKey(@ForAll @StringLength(max = 8) String key,
            @ForAll @StringLength(min = 1, max = 8) String slot, @ForAll @StringLength(max = 8) String other) {
        byte[] end = ObjectKeys.versionsEnd("media", key);
        assertThat(Arrays.compareUnsigned(ObjectKeys.slot("media", key, slot), end)).isNegative();
        if (Arrays.compareUnsigned(other.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8)) > 0) {
            assertThat(Arrays.compareUnsigned(ObjectKeys.slot("media", other, slot), end)).isPositive();
        }
    }
}
