package dev.meridian.testkit.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One key as a single register that starts absent, with the calls on it reduced to what each requires of the state
 * and what it leaves, so the search steps by comparing ints. A state is a value's number: 0 is absent.
 */
final class RegisterModel {
    static final int ABSENT = 0;
    /** What {@link #step} answers when a call cannot take effect in the state it is given. */
    static final int REFUSED = -1;
    /** As a requirement: any state will do; as a result: the state stays as it was. */
    private static final int ANY = -1;

    private final List<String> values = new ArrayList<>();
    private final Map<String, Integer> numbers = new HashMap<>();
    private final int[] requires;
    private final int[] leaves;

    RegisterModel(List<Call> calls) {
        values.add(null);
        requires = new int[calls.size()];
        leaves = new int[calls.size()];
        for (int i = 0; i < calls.size(); i++) {
            Operation call = calls.get(i).operation();
            switch (call.kind()) {
                case READ -> {
                    requires[i] = number(call.value());
                    leaves[i] = ANY;
                }
                case WRITE -> {
                    requires[i] = ANY;
                    leaves[i] = number(call.value());
                }
                case DELETE -> {
                    requires[i] = ANY;
                    leaves[i] = ABSENT;
                }
                case CAS -> {
                    requires[i] = number(call.expected());
                    leaves[i] = number(call.value());
                }
            }
        }
    }

    /** The state after call {@code call} (its index) takes effect in {@code state}, or REFUSED if it cannot. */
    int step(int state, int call) {
        if (requires[call] != ANY && requires[call] != state) {
            return REFUSED;
        }
        return leaves[call] == ANY ? state : leaves[call];
    }

    /** A number two calls share exactly when they require the same state and leave the same. */
    long effect(int call) {
        return (long) requires[call] << 32 | leaves[call] & 0xFFFF_FFFFL;
    }

    /** The value a state stands for, as a person reads it. */
    String describe(int state) {
        return Objects.toString(values.get(state), "absent");
    }

    private int number(String value) {
        if (value == null) {
            return ABSENT;
        }
        return numbers.computeIfAbsent(value, v -> {
            values.add(v);
            return values.size() - 1;
        });
    }
}
