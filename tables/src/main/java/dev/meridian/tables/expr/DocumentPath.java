package dev.meridian.tables.expr;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** A resolved document path such as {@code a.b[1].c}: a top-level attribute name followed by map keys and list indexes. */
record DocumentPath(List<Step> steps) {

    /** A total order on steps: keys by name before indexes by number. */
    static final Comparator<Step> STEP_ORDER = (a, b) -> {
        if (a instanceof Index x && b instanceof Index y) {
            return Integer.compare(x.index(), y.index());
        }
        if (a instanceof Key x && b instanceof Key y) {
            return x.name().compareTo(y.name());
        }
        return a instanceof Key ? -1 : 1;
    };

    /** A total order on paths in which list indexes compare numerically. */
    static final Comparator<DocumentPath> ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int order = STEP_ORDER.compare(a.step(i), b.step(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    DocumentPath {
        steps = List.copyOf(steps);
    }

    /** One step of a path. */
    sealed interface Step {}

    /** A map key (or, first in a path, a top-level attribute name). */
    record Key(String name) implements Step {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A list index. */
    record Index(int index) implements Step {
        @Override
        public String toString() {
            return "[" + index + "]";
        }
    }

    /** The top-level attribute this path starts at. */
    String attribute() {
        return ((Key) steps.get(0)).name();
    }

    int size() {
        return steps.size();
    }

    Step step(int i) {
        return steps.get(i);
    }

    /** DynamoDB's rendering in error messages, e.g. {@code [a, b, [1]]}. */
    @Override
    public String toString() {
        return steps.stream().map(Step::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
