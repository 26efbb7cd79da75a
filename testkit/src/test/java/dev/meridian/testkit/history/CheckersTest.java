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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each checker passes a history that keeps its guarantee and catches one that breaks it. */
class CheckersTest {
    private final List<Operation> history = new ArrayList<>();
    private long clock;

    /** Appends a call that began after the previous one ended, 10 ms later. */
    private Operation call(String process, Operation.Kind kind, String key, String value, Operation.Outcome outcome) {
        return append(process, kind, key, null, value, outcome);
    }

    /** Appends a CAS, as {@link #call} appends other calls. */
    private Operation cas(String process, String key, String expected, String value, Operation.Outcome outcome) {
        return append(process, CAS, key, expected, value, outcome);
    }

    private Operation append(String process, Operation.Kind kind, String key, String expected, String value,
            Operation.Outcome outcome) {
        clock += 10_000_000;
        var op = new Operation(history.size() + 1, process, "us-east-1", kind, key, expected, value, clock,
                clock + 1_000_000, outcome);
        history.add(op);
        return op;
    }

    private List<Violation> lost(Map<String, String> contents) {
        return NoLostWrites.check(history, "us-east-1", contents, 5_000_000);
    }

    @Test
    void theLastAcknowledgedWriteIsExpectedAndAnEarlierOneIsNot() {
        call("c1", WRITE, "k", "v1", OK);
        call("c2", WRITE, "k", "v2", OK);
        assertThat(lost(Map.of("k", "v2"))).isEmpty();
        assertThat(lost(Map.of("k", "v1"))).singleElement().asString().contains("superseded");
        assertThat(lost(Map.of())).singleElement().asString().contains("lost k=v2");
    }

    @Test
    void anUnansweredWriteMayOrMayNotHaveHappened() {
        call("c1", WRITE, "k", "v1", OK);
        call("c2", WRITE, "k", "v2", UNKNOWN);
        assertThat(lost(Map.of("k", "v1"))).isEmpty();
        assertThat(lost(Map.of("k", "v2"))).isEmpty();
        assertThat(lost(Map.of())).singleElement().asString().contains("lost k=v1");
    }

    @Test
    void aRefusedWriteMustNotTakeEffectNorAValueAppearFromNowhere() {
        call("c1", WRITE, "k", "v1", FAILED);
        assertThat(lost(Map.of())).isEmpty();
        assertThat(lost(Map.of("k", "v1"))).singleElement().asString().contains("refused");
        assertThat(lost(Map.of("other", "x"))).singleElement().asString().contains("no client ever wrote");
    }

    @Test
    void aDeletedValueMustNotComeBack() {
        call("c1", WRITE, "k", "v1", OK);
        call("c1", DELETE, "k", null, OK);
        assertThat(lost(Map.of())).isEmpty();
        assertThat(lost(Map.of("k", "v1"))).singleElement().asString().contains("deleted value came back");
    }

    @Test
    void writesCloserThanTheSlackAreConcurrentAndEitherMayWin() {
        history.add(new Operation(1, "c1", "us-east-1", WRITE, "k", null, "v1", 0, 2_000_000, OK));
        history.add(new Operation(2, "c2", "eu-west-1", WRITE, "k", null, "v2", 3_000_000, 4_000_000, OK));
        assertThat(lost(Map.of("k", "v1"))).isEmpty();
        assertThat(lost(Map.of("k", "v2"))).isEmpty();
    }

    @Test
    void anAcknowledgedCasIsAWriteOfItsValue() {
        call("c1", WRITE, "k", "v1", OK);
        cas("c2", "k", "v1", "v2", OK);
        call("g1", READ, "k", "v2", OK);
        assertThat(lost(Map.of("k", "v2"))).isEmpty();
        assertThat(lost(Map.of())).singleElement().asString().contains("lost k=v2");
        assertThat(GlobalReads.check(history, Set.of("g1"), 5_000_000)).isEmpty();
    }

    @Test
    void regionsThatDifferAreNamed() {
        assertThat(Convergence.check(Map.of("a", Map.of("k", "1"), "b", Map.of("k", "1")))).isEmpty();
        var contents = new HashMap<String, Map<String, String>>();
        contents.put("a", Map.of("k", "1"));
        contents.put("b", Map.of());
        assertThat(Convergence.check(contents)).singleElement().asString().contains("k (");
    }

    @Test
    void aSessionReadsItsOwnWrites() {
        call("s1", WRITE, "own", "v1", OK);
        call("s1", READ, "own", "v1", OK);
        call("s1", WRITE, "own", "v2", OK);
        call("s1", READ, "own", "v2", OK);
        assertThat(SessionGuarantees.check(history, Set.of("s1"), Set.of())).isEmpty();
        call("s1", READ, "own", "v1", OK);
        assertThat(SessionGuarantees.check(history, Set.of("s1"), Set.of())).singleElement().asString()
                .contains("after its own write of v2");
    }

    @Test
    void aSessionNeverSeesTimeGoBackwards() {
        call("writer", WRITE, "counter", "1", OK);
        call("writer", WRITE, "counter", "2", OK);
        call("s1", READ, "counter", "2", OK);
        call("s1", READ, "counter", "2", OK);
        call("s2", READ, "counter", "1", OK); // another session may be behind
        assertThat(SessionGuarantees.check(history, Set.of("s1", "s2"), Set.of("counter"))).isEmpty();
        call("s1", READ, "counter", "1", OK);
        assertThat(SessionGuarantees.check(history, Set.of("s1", "s2"), Set.of("counter"))).singleElement().asString()
                .contains("after reading 2");
    }

    @Test
    void aGlobalReadSeesEveryWriteAcknowledgedBeforeItBegan() {
        call("writer", WRITE, "k", "v1", OK);
        call("writer", WRITE, "k", "v2", OK);
        call("g1", READ, "k", "v2", OK);
        call("writer", WRITE, "k", "v3", UNKNOWN);
        call("g2", READ, "k", "v3", OK); // an unanswered write may be seen
        call("g2", READ, "k", "v2", OK); // or not
        assertThat(GlobalReads.check(history, Set.of("g1", "g2"), 5_000_000)).isEmpty();
        call("g1", READ, "k", "v1", OK);
        assertThat(GlobalReads.check(history, Set.of("g1", "g2"), 5_000_000)).singleElement().asString()
                .contains("missing the write of v2");
    }

    @Test
    void aGlobalReadOfADeletedKeyFindsItAbsent() {
        call("writer", WRITE, "k", "v1", OK);
        call("writer", DELETE, "k", null, OK);
        call("g1", READ, "k", null, OK);
        assertThat(GlobalReads.check(history, Set.of("g1"), 5_000_000)).isEmpty();
        call("g1", READ, "k", "v1", OK);
        assertThat(GlobalReads.check(history, Set.of("g1"), 5_000_000)).singleElement().asString()
                .contains("missing the delete");
    }
}
