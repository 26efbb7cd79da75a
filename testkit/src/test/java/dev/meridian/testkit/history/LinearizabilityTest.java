package dev.meridian.testkit.history;

import static dev.meridian.testkit.history.Operation.Kind.CAS;
import static dev.meridian.testkit.history.Operation.Kind.DELETE;
import static dev.meridian.testkit.history.Operation.Kind.READ;
import static dev.meridian.testkit.history.Operation.Kind.WRITE;
import static dev.meridian.testkit.history.Operation.Outcome.FAILED;
import static dev.meridian.testkit.history.Operation.Outcome.OK;
import static dev.meridian.testkit.history.Operation.Outcome.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The linearizability checker accepts what one atomic register could have done and flags what it could not. */
class LinearizabilityTest {
    private final List<Operation> history = new ArrayList<>();

    private void write(String process, String value, long startMs, long endMs, Operation.Outcome outcome) {
        add(process, WRITE, null, value, startMs, endMs, outcome);
    }

    private void read(String process, String value, long startMs, long endMs) {
        add(process, READ, null, value, startMs, endMs, OK);
    }

    private void delete(String process, long startMs, long endMs) {
        add(process, DELETE, null, null, startMs, endMs, OK);
    }

    private void cas(String process, String expected, String value, long startMs, long endMs,
            Operation.Outcome outcome) {
        add(process, CAS, expected, value, startMs, endMs, outcome);
    }

    /** A call on key k, timed in milliseconds. */
    private void add(String process, Operation.Kind kind, String expected, String value, long startMs, long endMs,
            Operation.Outcome outcome) {
        history.add(new Operation(history.size() + 1, process, "us-east-1", kind, "k", expected, value,
                startMs * 1_000_000, endMs * 1_000_000, outcome));
    }

    private List<Violation> check() {
        return Linearizability.check(history);
    }

    @Test
    void sequentialCallsThatSeeTheLatestValuePass() {
        write("c1", "v1", 0, 1, OK);
        read("c2", "v1", 2, 3);
        write("c2", "v2", 4, 5, OK);
        read("c1", "v2", 6, 7);
        assertThat(check()).isEmpty();
    }

    @Test
    void readsOverlappingAWriteMaySeeTheOldValueOrTheNew() {
        write("c1", "v1", 0, 1, OK);
        write("c1", "v2", 2, 8, OK);
        read("c2", "v2", 3, 4);
        read("c3", "v1", 3, 5);
        assertThat(check()).isEmpty();
    }

    @Test
    void ofConcurrentCasFromOneValueOneSucceeds() {
        write("c1", "v0", 0, 1, OK);
        cas("c1", "v0", "a", 2, 5, OK);
        cas("c2", "v0", "b", 2, 5, FAILED);
        read("c3", "a", 6, 7);
        assertThat(check()).isEmpty();
    }

    @Test
    void anUnansweredWriteMayTakeEffectAfterItsClientGaveUp() {
        write("c1", "v1", 0, 1, OK);
        write("c2", "v2", 2, 3, UNKNOWN);
        read("c3", "v1", 4, 5);
        read("c3", "v2", 10, 11);
        read("c1", "v2", 12, 13);
        assertThat(check()).isEmpty();
    }

    @Test
    void anUnansweredWriteOrCasMayNeverTakeEffect() {
        write("c1", "v1", 0, 1, OK);
        write("c2", "v2", 2, 3, UNKNOWN);
        cas("c2", "v1", "v3", 4, 5, UNKNOWN);
        read("c3", "v1", 6, 7);
        read("c1", "v1", 8, 9);
        assertThat(check()).isEmpty();
    }

    @Test
    void aKeyReadsAbsentBeforeItsFirstWriteAndAfterItsDelete() {
        read("c1", null, 0, 1);
        cas("c2", null, "v1", 2, 3, OK);
        read("c1", "v1", 4, 5);
        delete("c2", 6, 7);
        read("c1", null, 8, 9);
        assertThat(check()).isEmpty();
    }

    @Test
    void aReadOfAValueNeverWrittenIsFlagged() {
        write("c1", "v1", 0, 1, OK);
        write("c1", "v2", 2, 3, FAILED);
        read("c2", "v2", 4, 5);
        assertThat(check()).singleElement().asString().contains("key k is not linearizable", "c2's READ of v2");
    }

    @Test
    void aStaleReadAfterALaterWriteWasAcknowledgedIsFlaggedAndExplained() {
        write("c1", "v1", 0, 1, OK);
        write("c2", "v2", 2, 3, OK);
        read("c3", "v1", 4, 5);
        assertThat(check()).singleElement().asString().isEqualTo("linearizable: key k is not linearizable: the"
                + " longest linearizable prefix has 2 of its 3 calls, and after it c3's READ of v1 (operation 3 in"
                + " us-east-1, 4.0 to 5.0 ms) cannot take effect with k holding v2");
    }

    @Test
    void twoCasFromTheSameValueCannotBothSucceed() {
        write("c1", "v0", 0, 1, OK);
        cas("c1", "v0", "a", 2, 5, OK);
        cas("c2", "v0", "b", 2, 5, OK);
        assertThat(check()).singleElement().asString().contains("key k", "CAS from v0");
    }

    @Test
    void aReadMayNotSeeAnOlderValueAfterAnotherReadSawTheNewer() {
        write("c1", "v1", 0, 1, OK);
        write("c1", "v2", 2, 10, OK);
        read("c2", "v2", 3, 4);
        read("c3", "v1", 5, 6);
        assertThat(check()).singleElement().asString().contains("key k", "c3's READ of v1");
    }

    @Test
    void aCasMayNotSucceedFromAValueTheKeyNoLongerHeld() {
        write("c1", "v0", 0, 1, OK);
        write("c1", "v1", 2, 3, OK);
        cas("c2", "v0", "v2", 4, 5, OK);
        assertThat(check()).singleElement().asString().contains("key k", "c2's CAS from v0 to v2");
    }

    @Test
    void aKeyTooHardForTheBudgetIsReportedNotPassed() {
        write("c1", "v1", 0, 10, OK);
        write("c2", "v2", 0, 10, UNKNOWN);
        read("c3", "v2", 0, 10);
        assertThat(Linearizability.check(history, 1)).singleElement().asString()
                .contains("key k could not be decided", "3 calls, 1 of them unanswered");
    }

    @Test
    void aSimulatedRegisterUnderFiveClientsPassesUntilOneReadIsCorrupted() {
        var random = new Random(42);
        var run = new ArrayList<Operation>();
        for (int key = 0; key < 20; key++) {
            run.addAll(new SimulatedRegister(random, "key" + key, run.size()).run(300));
        }
        assertThat(Linearizability.check(run)).isEmpty();

        int lastRead = lastAcknowledgedReadOf(run, "key7");
        String firstValue = run.stream().filter(op -> op.key().equals("key7") && op.kind() == WRITE
                && op.outcome() == OK).findFirst().orElseThrow().value();
        Operation read = run.get(lastRead);
        assertThat(read.value()).isNotEqualTo(firstValue);
        run.set(lastRead, new Operation(read.id(), read.process(), read.region(), READ, read.key(), null, firstValue,
                read.startNanos(), read.endNanos(), OK));
        assertThat(Linearizability.check(run)).singleElement().asString().contains("key key7", "READ of " + firstValue);
    }

    @Test
    void agreesWithAnExhaustiveSearchOnSmallRandomHistories() {
        var random = new Random(7);
        String[] values = {null, "a", "b", "c", "d"};
        for (int round = 0; round < 5_000; round++) {
            history.clear();
            int calls = 1 + random.nextInt(8);
            for (int i = 0; i < calls; i++) {
                Operation.Kind kind = Operation.Kind.values()[random.nextInt(4)];
                String value = kind == DELETE ? null : kind == READ ? values[random.nextInt(5)]
                        : values[1 + random.nextInt(4)];
                String expected = kind == CAS ? values[random.nextInt(5)] : null;
                long start = random.nextInt(12);
                add("c" + i, kind, expected, value, start, start + random.nextInt(5),
                        Operation.Outcome.values()[random.nextInt(3)]);
            }
            assertThat(check().isEmpty()).as("%s", history).isEqualTo(someOrderExplains(new boolean[calls], null));
        }
    }

    /** Whether the calls not yet {@code placed}, taking effect one by one from {@code held}, explain the history. */
    private boolean someOrderExplains(boolean[] placed, String held) {
        if (IntStream.range(0, placed.length).allMatch(i -> placed[i] || history.get(i).outcome() != OK)) {
            return true;
        }
        for (int i = 0; i < placed.length; i++) {
            Operation op = history.get(i);
            boolean mayTakeEffect = op.outcome() == OK || op.mayHaveHappened();
            boolean allowed = switch (op.kind()) {
                case READ -> Objects.equals(held, op.value());
                case CAS -> Objects.equals(held, op.expected());
                default -> true;
            };
            if (placed[i] || !mayTakeEffect || !allowed || followsAPendingCall(op, placed)) {
                continue;
            }
            placed[i] = true;
            String after = op.kind() == READ ? held : op.writesValue() ? op.value() : null;
            boolean explained = someOrderExplains(placed, after);
            placed[i] = false;
            if (explained) {
                return true;
            }
        }
        return false;
    }

    private boolean followsAPendingCall(Operation op, boolean[] placed) {
        return IntStream.range(0, placed.length).anyMatch(j -> !placed[j] && history.get(j).outcome() == OK
                && history.get(j).endNanos() < op.startNanos());
    }

    private static int lastAcknowledgedReadOf(List<Operation> run, String key) {
        for (int i = run.size() - 1; i >= 0; i--) {
            Operation op = run.get(i);
            if (op.key().equals(key) && op.kind() == READ && op.outcome() == OK) {
                return i;
            }
        }
        throw new AssertionError("no read of " + key);
    }

    /**
     * One key of a real register under five clients: each call takes effect at one instant inside its interval, in
     * the order of those instants, so the history it records is linearizable by construction.
     */
    private static final class SimulatedRegister {
        private static final int CLIENTS = 5;
        private final Random random;
        private final String key;
        private final long[] idleFrom = new long[CLIENTS];
        private final List<Operation> history = new ArrayList<>();
        private final List<String> written = new ArrayList<>();
        private long lastId;
        private long lastEffect;
        private String held;

        SimulatedRegister(Random random, String key, long idsUsed) {
            this.random = random;
            this.key = key;
            this.lastId = idsUsed;
        }

        List<Operation> run(int calls) {
            for (int i = 0; i < calls; i++) {
                int client = 0;
                for (int c = 1; c < CLIENTS; c++) {
                    client = idleFrom[c] < idleFrom[client] ? c : client;
                }
                long start = idleFrom[client];
                long effect = Math.max(start, lastEffect) + 1 + random.nextInt(1_000_000);
                long end = effect + random.nextInt(3_000_000);
                lastEffect = effect;
                idleFrom[client] = end + random.nextInt(500_000);
                history.add(call(key + "/c" + client, start, end));
            }
            return history;
        }

        /** One call, at its instant of effect: a refused CAS changes nothing, an unanswered call may or may not. */
        private Operation call(String process, long start, long end) {
            boolean answered = random.nextInt(20) != 0;
            boolean takesEffect = answered || random.nextBoolean();
            Operation.Kind kind = List.of(READ, READ, READ, READ, WRITE, WRITE, WRITE, DELETE, CAS, CAS)
                    .get(random.nextInt(10));
            String expected = kind != CAS ? null : random.nextBoolean() ? held : anyWritten();
            String value = kind == READ ? held : kind == DELETE ? null : key + "-v" + written.size();
            if (kind != READ && value != null) {
                written.add(value);
            }
            boolean refused = kind == CAS && !Objects.equals(expected, held);
            Operation.Outcome outcome = !answered ? UNKNOWN : refused ? FAILED : OK;
            if (kind != READ && takesEffect && !refused) {
                held = value;
            }
            return new Operation(++lastId, process, "us-east-1", kind, key, expected, value, start, end, outcome);
        }

        private String anyWritten() {
            return written.isEmpty() ? null : written.get(random.nextInt(written.size()));
        }
    }
}
