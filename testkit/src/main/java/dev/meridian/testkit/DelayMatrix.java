package dev.meridian.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/** One-way network delays between regions: close to real inter-region figures, or one figure for every pair. */
public final class DelayMatrix {
    /** The delay for a pair the table does not know. */
    public static final Duration UNKNOWN_PAIR = Duration.ofMillis(50);

    /** About half the round trips AWS regions measure between each other; the pair's names are in sorted order. */
    private static final Map<String, Long> REALISTIC_MILLIS = Map.ofEntries(
            Map.entry(key("eu-west-1", "us-east-1"), 40L),
            Map.entry(key("ap-southeast-1", "us-east-1"), 110L),
            Map.entry(key("ap-southeast-1", "eu-west-1"), 80L),
            Map.entry(key("us-east-1", "us-west-2"), 32L),
            Map.entry(key("eu-west-1", "us-west-2"), 65L),
            Map.entry(key("ap-southeast-1", "us-west-2"), 85L),
            Map.entry(key("eu-central-1", "eu-west-1"), 12L),
            Map.entry(key("eu-central-1", "us-east-1"), 45L),
            Map.entry(key("eu-central-1", "us-west-2"), 72L),
            Map.entry(key("ap-southeast-1", "eu-central-1"), 80L),
            Map.entry(key("ap-northeast-1", "us-east-1"), 75L),
            Map.entry(key("ap-northeast-1", "us-west-2"), 50L),
            Map.entry(key("ap-northeast-1", "eu-west-1"), 105L),
            Map.entry(key("ap-northeast-1", "eu-central-1"), 110L),
            Map.entry(key("ap-northeast-1", "ap-southeast-1"), 35L));

    private final Optional<Duration> uniform;

    private DelayMatrix(Optional<Duration> uniform) {
        this.uniform = uniform;
    }

    /** Delays close to real ones between AWS regions, {@link #UNKNOWN_PAIR} for pairs not in the table. */
    public static DelayMatrix realistic() {
        return new DelayMatrix(Optional.empty());
    }

    /** The same one-way delay between every pair. */
    public static DelayMatrix uniform(Duration oneWay) {
        if (oneWay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + oneWay);
        }
        return new DelayMatrix(Optional.of(oneWay));
    }

    /** How long a byte takes from {@code from} to {@code to}. */
    public Duration oneWay(String from, String to) {
        if (from.equals(to)) {
            return Duration.ZERO;
        }
        return uniform.orElseGet(() -> Optional.ofNullable(REALISTIC_MILLIS.get(key(from, to)))
                .map(Duration::ofMillis)
                .orElse(UNKNOWN_PAIR));
    }

    /** A one-line summary for the given regions, e.g. {@code us-east-1<->eu-west-1 40 ms, ...}. */
    public String describe(List<String> regions) {
        var text = new StringJoiner(", ");
        for (int i = 0; i < regions.size(); i++) {
            for (int j = i + 1; j < regions.size(); j++) {
                String a = regions.get(i);
                String b = regions.get(j);
                text.add(a + "<->" + b + " " + oneWay(a, b).toMillis() + " ms");
            }
        }
        return text.toString();
    }

    private static String key(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }
}
