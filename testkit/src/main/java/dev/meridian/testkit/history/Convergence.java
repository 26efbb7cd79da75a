package dev.meridian.testkit.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** After quiescence every region holds the same data. */
public final class Convergence {
    public static final String CHECK = "convergence";
    private static final int MOST_KEYS_NAMED = 10;

    private Convergence() {}

    /** {@code contents}: per region, its final {@code key -> value}. */
    public static List<Violation> check(Map<String, Map<String, String>> contents) {
        var violations = new ArrayList<Violation>();
        var keys = new TreeSet<String>();
        contents.values().forEach(region -> keys.addAll(region.keySet()));
        var differing = new ArrayList<String>();
        for (String key : keys) {
            var values = contents.values().stream().map(region -> region.get(key)).distinct().toList();
            if (values.size() > 1) {
                differing.add(key);
            }
        }
        if (!differing.isEmpty()) {
            var described = new ArrayList<String>();
            for (String key : differing.subList(0, Math.min(MOST_KEYS_NAMED, differing.size()))) {
                var perRegion = new ArrayList<String>();
                contents.forEach((region, values) -> perRegion.add(region + "=" + Objects.toString(values.get(key), "absent")));
                described.add(key + " (" + String.join(", ", perRegion) + ")");
            }
            violations.add(new Violation(CHECK, differing.size() + " keys differ between regions: "
                    + String.join("; ", described)));
        }
        return violations;
    }
}
