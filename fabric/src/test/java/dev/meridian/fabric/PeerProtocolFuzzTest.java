package dev.meridian.fabric;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.meridian.core.RegionConfig;
import dev.meridian.core.Version;
import dev.meridian.fabric.wire.Batch;
import dev.meridian.fabric.wire.Entry;
import dev.meridian.fabric.wire.Hello;
import dev.meridian.fabric.wire.ReceiverMessage;
import dev.meridian.fabric.wire.ReplicationGrpc;
import dev.meridian.fabric.wire.SenderMessage;
import dev.meridian.fabric.wire.SnapshotEnd;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * A real region's peer port, driven by a hostile peer: messages out of order (batch before hello), hellos from
 * unknown origins or for the wrong target, entries with gaps, repeated or zero sequences, keyspaces the store cannot
 * hold, empty and oversized keys, random values, extreme timestamps, snapshot ends out of order, and raw random
 * bytes on the gRPC path. The region never fails: it still serves reads and local writes and takes a later correct
 * stream; its watermark for an origin moves only through that origin's contiguous sequences (or a snapshot end);
 * and a batch it refuses leaves no trace. A model of what each accepted message must do is checked after each one.
 */
class PeerProtocolFuzzTest {
    private static final String REGION = "victim";
    private static final List<String> ORIGINS = List.of("origin-a", "origin-b");
    /** The keyspaces hostile entries write that the store can hold; compared with the model after every message. */
    private static final List<String> KEYSPACES = List.of("ks", "ks2", "x".repeat(200), "\u00fcn\u00ef");
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    // ---- hostile message sequences, one fresh region per try ----

    /** Regions of finished tries, closing in the background: stopping a peer server takes about two seconds. */
    private final List<Thread> closing = new CopyOnWriteArrayList<>();

    @Property(tries = 30)
    void hostileStreamsNeverReorderNeverHalfApplyAndLeaveTheRegionServing(@ForAll("scripts") Script script)
            throws Exception {
        Victim victim = Victim.open();
        try (LocalWriter writer = new LocalWriter(victim.fabric)) {
            var model = new Model();
            var client = new PeerClient(victim.fabric.peerPort());
            for (Step step : script.steps()) {
                client.perform(step, model);
                model.assertMatches(victim.fabric, step);
            }
            client.close();

            for (String origin : ORIGINS) {
                convergesThroughACorrectStream(victim.fabric, origin, model);
            }
            writer.assertEveryWriteTookEffect();
        } finally {
            Thread close = new Thread(victim::close, "close-" + victim.fabric.peerPort());
            close.start();
            closing.add(close);
        }
    }

    /** A correct sender resuming where the region says is taken, acknowledged and applied. */
    private static void convergesThroughACorrectStream(Fabric fabric, String origin, Model model) throws Exception {
        var client = new PeerClient(fabric.peerPort());
        Reply resume = client.send(hello(origin, REGION));
        assertThat(resume).as("resume for %s", origin).isEqualTo(Reply.resume(model.watermark(origin)));
        long from = model.watermark(origin) + 1;
        var entries = new ArrayList<Entry>();
        for (long seq = from; seq < from + 3; seq++) {
            entries.add(entry(seq, "ks", ("converge-" + origin + "-" + seq).getBytes(UTF_8),
                    ("v" + seq).getBytes(UTF_8), false, Clock.systemUTC().millis() << 16, origin));
        }
        Reply ack = client.send(batch(entries, 0));
        client.close();

        assertThat(ack).as("ack of a correct batch from %s", origin).isEqualTo(Reply.ack(from + 2));
        assertThat(fabric.status().applied()).containsEntry(origin, from + 2);
        for (Entry entry : entries) {
            assertThat(fabric.get("ks", entry.getKey().toByteArray()).map(r -> new String(r.value(), UTF_8)))
                    .contains("v" + entry.getSeq());
        }
    }

    // ---- raw bytes on the peer port ----

    private Victim shared;
    private LocalWriter sharedWriter;
    private WebClient web;

    @AfterProperty
    void closeRegions() throws InterruptedException {
        if (shared != null) {
            sharedWriter.close();
            shared.close();
        }
        for (Thread close : closing) {
            close.join();
        }
    }

    @Property(tries = 150)
    void randomBytesOnThePeerPortChangeNothingAndNeverFailTheRegion(@ForAll("rawRequests") RawRequest raw)
            throws IOException {
        if (shared == null) { // one region for every try of this property
            shared = Victim.open();
            sharedWriter = new LocalWriter(shared.fabric);
            web = WebClient.builder("h2c://127.0.0.1:" + shared.fabric.peerPort()).responseTimeout(REPLY_TIMEOUT).build();
        }
        Map<String, Long> watermarks = shared.fabric.status().applied();
        Map<String, String> state = Model.stateOf(shared.fabric);

        AggregatedHttpResponse response = web.execute(RequestHeaders.builder(HttpMethod.POST, raw.path())
                        .contentType(MediaType.parse(raw.contentType())).build(), HttpData.wrap(raw.body()))
                .aggregate()
                .join();

        // gRPC's own status is not checked: malformed framing is refused by Armeria (INTERNAL, UNKNOWN) before any
        // of the region's code runs. Refusals of well-formed messages are checked by the property above.
        assertThat(response.status().code()).as("HTTP status for %s", raw).isLessThan(500);
        assertThat(shared.fabric.status().applied()).as("watermarks after %s", raw).isEqualTo(watermarks);
        assertThat(Model.stateOf(shared.fabric)).as("state after %s", raw).isEqualTo(state);
        sharedWriter.assertEveryWriteTookEffect();
    }

    /** Bytes POSTed to a path of the peer port. */
    record RawRequest(String path, String contentType, byte[] body) {
        @Override
        public String toString() {
            String hex = HexFormat.of().formatHex(body, 0, Math.min(body.length, 64));
            return "POST " + path + " (" + contentType + ") " + body.length + " bytes " + hex
                    + (body.length > 64 ? "..." : "");
        }
    }

    @Provide
    Arbitrary<RawRequest> rawRequests() {
        Arbitrary<String> paths = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just("/meridian.fabric.Replication/Stream")),
                Tuple.of(1, Arbitraries.of("/meridian.fabric.Replication/Head", "/meridian.fabric.Replication/Nope",
                        "/", "/meridian.fabric.Replication/", "/meridian.fabric.Replication/Stream/extra")));
        Arbitrary<String> contentTypes = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just("application/grpc")),
                Tuple.of(1, Arbitraries.of("application/grpc+proto", "application/grpc-web", "application/json",
                        "text/plain", "application/octet-stream")));
        Arbitrary<byte[]> randomBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> framedRandom = Combinators.combine(Arbitraries.of((byte) 0, (byte) 1, (byte) 7),
                Arbitraries.integers().between(-2, 2), randomBytes)
                .as((flag, lengthError, payload) -> frame(flag, payload.length + lengthError, payload));
        Arbitrary<byte[]> framedMessages = Arbitraries.of(
                SenderMessage.getDefaultInstance(),
                hello("origin-a", "elsewhere"), hello("stranger", REGION),
                batch(List.of(entry(1, "ks", new byte[] {1}, new byte[] {2}, false, 1L << 16, "origin-a")), 0),
                snapshotEnd(5)).map(message -> frame((byte) 0, message.getSerializedSize(), message.toByteArray()));
        Arbitrary<byte[]> bodies = Arbitraries.frequencyOf(
                Tuple.of(3, randomBytes), Tuple.of(3, framedRandom), Tuple.of(2, framedMessages),
                Tuple.of(1, Combinators.combine(framedMessages, framedRandom).as(PeerProtocolFuzzTest::concat)),
                Tuple.of(1, Arbitraries.of(new byte[0], frame((byte) 0, Integer.MAX_VALUE, new byte[0]),
                        frame((byte) 0, 16 << 20, new byte[100]))));
        return Combinators.combine(paths, contentTypes, bodies).as(RawRequest::new);
    }

    private static byte[] frame(byte flag, int length, byte[] payload) {
        var out = new ByteArrayOutputStream();
        out.write(flag);
        out.write(length >>> 24);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    // ---- the region under test ----

    /** A real region with two configured peers that never answer, so only the test's streams reach it. */
    static final class Victim implements AutoCloseable {
        final Path dir;
        final Fabric fabric;

        private Victim(Path dir, Fabric fabric) {
            this.dir = dir;
            this.fabric = fabric;
        }

        static Victim open() throws IOException {
            Path dir = Files.createTempDirectory("peer-fuzz");
            var peers = ORIGINS.stream()
                    .map(origin -> new RegionConfig.Peer(origin, "127.0.0.1:" + FabricPair.freePort()))
                    .toList();
            var config = new RegionConfig(REGION, dir, 0, 0, peers, List.of(new RegionConfig.AccessKey("k", "s")),
                    new RegionConfig.FabricSettings(1_000_000L, 64, Duration.ofMillis(100), Duration.ofSeconds(1)))
                    .validate();
            return new Victim(dir, Fabric.open(config, new SimpleMeterRegistry(), Clock.systemUTC()));
        }

        @Override
        public void close() {
            fabric.close();
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp directory left behind
            }
        }
    }

    /**
     * Local writes made all along, each read back at once (a region's own writes are visible to its next read): a
     * hostile peer's message must never make the region fail or lose a write of its own clients, which the committer
     * commits in the same groups as replicated batches and versions with the same clock.
     */
    static final class LocalWriter implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new ArrayList<>();

        LocalWriter(Fabric fabric) {
            for (int t = 0; t < 3; t++) {
                String key = "writer-" + t;
                Thread thread = new Thread(() -> {
                    for (long i = 0; running.get(); i++) {
                        String value = Long.toString(i);
                        try {
                            put(fabric, "local", key, value);
                            Optional<Record> read = fabric.get("local", key.getBytes(UTF_8));
                            if (read.isEmpty() || !new String(read.get().value(), UTF_8).equals(value)) {
                                failures.add("wrote " + key + "=" + value + " but read back "
                                        + read.map(r -> new String(r.value(), UTF_8) + " " + r.version()));
                            }
                        } catch (RuntimeException e) {
                            failures.add("writing " + key + "=" + value + " threw " + e);
                        }
                    }
                }, "local-writer-" + t);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
        }

        void assertEveryWriteTookEffect() {
            assertThat(failures).as("local writes that failed or were lost").isEmpty();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }
    }

    private static void put(Fabric fabric, String keyspace, String key, String value) {
        fabric.mutate(keyspace, key.getBytes(UTF_8), current -> Mutation.put(value.getBytes(UTF_8), null));
    }

    // ---- what each message must do ----

    /**
     * The region as the test expects it: each origin's watermark and every key hostile entries wrote, applied as
     * the fabric promises (in sequence, last-writer-wins, at most once per sequence, whole batches or nothing).
     */
    static final class Model {
        final Map<String, Long> watermarks = new TreeMap<>(Map.of("origin-a", 0L, "origin-b", 0L));
        final Map<String, Version> versions = new TreeMap<>();
        final Map<String, String> live = new TreeMap<>();

        long watermark(String origin) {
            return watermarks.get(origin);
        }

        /**
         * The watermark and state after {@code entries} from {@code origin}, or empty if they must be refused: a batch
         * sent with an absurd clock, or holding any entry that is not the origin's own or that no state can be made
         * of, is refused whole before anything is applied; so is one that skips a sequence.
         */
        Optional<Model> afterBatch(String origin, List<Entry> entries, long sentAt) {
            if (!plausible(sentAt) || entries.stream().anyMatch(entry -> !fit(entry, origin))) {
                return Optional.empty();
            }
            Model next = copy();
            long wm = next.watermarks.get(origin);
            for (Entry entry : entries) {
                if (entry.getSeq() != 0) {
                    if (entry.getSeq() <= wm) {
                        continue; // already applied: delivery is at-least-once
                    }
                    if (entry.getSeq() != wm + 1) {
                        return Optional.empty(); // a gap: never applied out of sequence
                    }
                    wm = entry.getSeq();
                }
                next.apply(entry);
            }
            next.watermarks.put(origin, wm);
            return Optional.of(next);
        }

        /** Whether the entry may be applied: the stream's origin's own, a keyspace without NUL, a sane timestamp. */
        private static boolean fit(Entry entry, String origin) {
            return entry.getOrigin().equals(origin) && !entry.getKeyspace().isEmpty()
                    && entry.getKeyspace().indexOf('\0') < 0 && plausible(entry.getTimestamp());
        }

        /** A timestamp a sane clock gives: not negative, at most a day (here: a little less) ahead of this one. */
        private static boolean plausible(long timestamp) {
            return timestamp >= 0 && (timestamp >>> 16) <= Clock.systemUTC().millis() + Duration.ofHours(23).toMillis();
        }

        private void apply(Entry entry) {
            String slot = slot(entry.getKeyspace(), entry.getKey().toByteArray());
            Version version = new Version(entry.getTimestamp(), entry.getOrigin());
            Version current = versions.get(slot);
            if (current != null && !version.isNewerThan(current)) {
                return;
            }
            versions.put(slot, version);
            if (entry.getTombstone()) {
                live.remove(slot);
            } else {
                live.put(slot, HexFormat.of().formatHex(entry.getValue().toByteArray()));
            }
        }

        Model afterSnapshotEnd(String origin, long seq) {
            Model next = copy();
            next.watermarks.merge(origin, seq, Math::max);
            return next;
        }

        void become(Model other) {
            watermarks.clear();
            watermarks.putAll(other.watermarks);
            versions.clear();
            versions.putAll(other.versions);
            live.clear();
            live.putAll(other.live);
        }

        private Model copy() {
            Model copy = new Model();
            copy.become(this);
            return copy;
        }

        void assertMatches(Fabric fabric, Step step) {
            assertThat(fabric.status().applied()).as("watermarks after %s", step).isEqualTo(watermarks);
            assertThat(stateOf(fabric)).as("state after %s", step).isEqualTo(live);
        }

        /** Every live key of the keyspaces hostile entries reach, as keyspace/hex key to hex value. */
        static Map<String, String> stateOf(Fabric fabric) {
            var state = new TreeMap<String, String>();
            for (String keyspace : KEYSPACES) {
                try (RecordCursor cursor = fabric.scan(keyspace, null, null, false)) {
                    cursor.forEachRemaining(r -> state.put(slot(keyspace, r.key()), HexFormat.of().formatHex(r.value())));
                }
            }
            return state;
        }

        private static String slot(String keyspace, byte[] key) {
            return keyspace + "/" + HexFormat.of().formatHex(key);
        }
    }

    // ---- the hostile peer ----

    /** What the region answered to one message. */
    record Reply(String kind, long seq, Status.Code code) {
        static Reply resume(long seq) {
            return new Reply("resume", seq, null);
        }

        static Reply ack(long seq) {
            return new Reply("ack", seq, null);
        }

        static Reply refused(Status.Code code) {
            return new Reply("refused", 0, code);
        }

        boolean isRefusal() {
            return kind.equals("refused");
        }
    }

    /**
     * A stream to the region's peer port, as {@code PeerSender} opens one, that sends one message at a time and
     * waits for its answer. A refused stream is replaced by a fresh one (with no hello) for the next message.
     */
    static final class PeerClient {
        private final ReplicationGrpc.ReplicationStub stub;
        private BlockingQueue<Reply> replies;
        private StreamObserver<SenderMessage> out;
        private boolean open;
        /** As the receiver tracks them on this stream: who said hello, and the next sequence it expects. */
        private String origin;
        private long expectedNext;

        PeerClient(int port) {
            stub = GrpcClients.builder("http://127.0.0.1:" + port)
                    .responseTimeout(Duration.ZERO)
                    .maxResponseLength(0)
                    .build(ReplicationGrpc.ReplicationStub.class);
        }

        Reply send(SenderMessage message) throws InterruptedException {
            if (!open) {
                reopen();
            }
            out.onNext(message);
            Reply reply = replies.poll(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(reply).as("the region's answer to %s", shown(message)).isNotNull();
            // UNKNOWN is gRPC's word for an exception the service did not handle.
            assertThat(reply.code()).as("refusal of %s", shown(message))
                    .isNotIn(Status.Code.UNKNOWN, Status.Code.INTERNAL);
            if (reply.isRefusal()) {
                open = false;
            }
            return reply;
        }

        private void reopen() {
            if (out != null) {
                try {
                    out.onCompleted();
                } catch (RuntimeException ignored) {
                    // already closed by the region
                }
            }
            BlockingQueue<Reply> queue = new LinkedBlockingQueue<>();
            replies = queue;
            out = stub.stream(new StreamObserver<>() {
                @Override
                public void onNext(ReceiverMessage message) {
                    queue.add(message.hasResume() ? Reply.resume(message.getResume().getAppliedSeq())
                            : Reply.ack(message.getAck().getAppliedSeq()));
                }

                @Override
                public void onError(Throwable t) {
                    queue.add(Reply.refused(Status.fromThrowable(t).getCode()));
                }

                @Override
                public void onCompleted() {
                    queue.add(Reply.refused(Status.Code.OK));
                }
            });
            open = true;
            origin = null;
            expectedNext = 0;
        }

        /** Sends one step's message and checks the answer against the model, which it moves on if accepted. */
        void perform(Step step, Model model) throws InterruptedException {
            if (!open) {
                reopen(); // the last message was refused: this one goes on a fresh stream, with no hello
            }
            if (step instanceof Step.Reconnect) {
                reopen();
            } else if (step instanceof Step.Unknown) {
                assertThat(send(SenderMessage.getDefaultInstance()).isRefusal())
                        .as("a message of no known kind is refused").isTrue();
            } else if (step instanceof Step.Greet greet) {
                greet(greet, model);
            } else if (step instanceof Step.Send send) {
                sendBatch(send, model);
            } else if (step instanceof Step.End end) {
                endSnapshot(end, model);
            }
        }

        private void greet(Step.Greet greet, Model model) throws InterruptedException {
            Reply reply = send(hello(greet.origin(), greet.target()));
            if (!ORIGINS.contains(greet.origin()) || !greet.target().equals(REGION)) {
                assertThat(reply.isRefusal()).as("%s is refused", greet).isTrue();
                return;
            }
            assertThat(reply).as("answer to %s", greet).isEqualTo(Reply.resume(model.watermark(greet.origin())));
            origin = greet.origin();
            expectedNext = model.watermark(origin) + 1;
        }

        private void sendBatch(Step.Send send, Model model) throws InterruptedException {
            String from = origin;
            List<Entry> entries = send.entries(from == null ? 0 : model.watermark(from), from);
            // The receiver refuses a batch starting past the next sequence it expects on this stream.
            boolean inOrder = entries.isEmpty() || entries.get(0).getSeq() == 0 || entries.get(0).getSeq() <= expectedNext;
            Optional<Model> expected = from == null ? Optional.empty() : model.afterBatch(from, entries, send.sentAt());
            Reply reply = send(batch(entries, send.sentAt()));
            String what = "batch " + shown(entries) + " on a stream from " + from;
            if (expected.isEmpty() || !inOrder) {
                assertThat(reply.isRefusal()).as("%s is refused", what).isTrue();
                return;
            }
            assertThat(reply).as("answer to %s", what).isEqualTo(Reply.ack(expected.get().watermark(from)));
            model.become(expected.get());
            if (!entries.isEmpty() && entries.get(0).getSeq() != 0) {
                expectedNext = entries.get(entries.size() - 1).getSeq() + 1;
            }
        }

        private void endSnapshot(Step.End end, Model model) throws InterruptedException {
            long seq = end.seq(origin == null ? 0 : model.watermark(origin));
            Reply reply = send(snapshotEnd(seq));
            if (origin == null) {
                assertThat(reply.isRefusal()).as("snapshot end %s before hello is refused", seq).isTrue();
                return;
            }
            Model expected = model.afterSnapshotEnd(origin, seq);
            assertThat(reply).as("answer to snapshot end %s", seq).isEqualTo(Reply.ack(expected.watermark(origin)));
            model.become(expected);
        }

        void close() {
            if (out != null && open) {
                out.onCompleted();
            }
        }
    }

    private static SenderMessage hello(String origin, String target) {
        return SenderMessage.newBuilder().setHello(Hello.newBuilder().setOrigin(origin).setTarget(target)).build();
    }

    private static SenderMessage batch(List<Entry> entries, long sentAt) {
        return SenderMessage.newBuilder()
                .setBatch(Batch.newBuilder().addAllEntries(entries).setHeadSeq(0).setSentAt(sentAt))
                .build();
    }

    private static SenderMessage snapshotEnd(long seq) {
        return SenderMessage.newBuilder().setSnapshotEnd(SnapshotEnd.newBuilder().setSeq(seq)).build();
    }

    private static Entry entry(long seq, String keyspace, byte[] key, byte[] value, boolean tombstone, long timestamp,
            String origin) {
        return Entry.newBuilder()
                .setSeq(seq)
                .setKeyspace(keyspace)
                .setKey(ByteString.copyFrom(key))
                .setTimestamp(timestamp)
                .setOrigin(origin)
                .setTombstone(tombstone)
                .setValue(ByteString.copyFrom(value))
                .build();
    }

    private static String shown(Object message) {
        String text = String.valueOf(message).replace('\n', ' ');
        return text.length() > 600 ? text.substring(0, 600) + "...(" + text.length() + " chars)" : text;
    }

    // ---- scripts ----

    /** The messages of one try, in order. */
    record Script(List<Step> steps) {
        @Override
        public String toString() {
            return steps.toString();
        }
    }

    /** One thing the hostile peer does. Sequences are chosen relative to the region's watermark when sent. */
    sealed interface Step {
        record Greet(String origin, String target) implements Step {}

        record Unknown() implements Step {}

        record Reconnect() implements Step {}

        record End(SeqKind kind, int offset) implements Step {
            long seq(long watermark) {
                return switch (kind) {
                    case NEXT -> watermark + 1 + offset;
                    case REPEAT -> Math.max(0, watermark - offset);
                    case GAP -> watermark + 2 + offset;
                    case ZERO -> 0;
                    case ABOVE_SIGNED -> Long.MIN_VALUE + offset;
                };
            }
        }

        record Send(List<EntrySpec> specs, long sentAt) implements Step {
            /** The entries, sequences resolved from {@code watermark}; a null origin means "as the hello said". */
            List<Entry> entries(long watermark, String streamOrigin) {
                var entries = new ArrayList<Entry>();
                long cursor = watermark;
                for (EntrySpec spec : specs) {
                    long seq = switch (spec.seq()) {
                        case NEXT -> cursor + 1;
                        case REPEAT -> Math.max(1, cursor - spec.offset());
                        case GAP -> cursor + 2 + spec.offset();
                        case ZERO -> 0;
                        case ABOVE_SIGNED -> Long.MIN_VALUE + spec.offset();
                    };
                    if (spec.seq() == SeqKind.NEXT || spec.seq() == SeqKind.GAP) {
                        cursor = seq;
                    }
                    String origin = spec.origin().equals("=") ? Optional.ofNullable(streamOrigin).orElse("origin-a")
                            : spec.origin();
                    entries.add(entry(seq, spec.keyspace(), spec.key(), spec.value(), spec.tombstone(), spec.timestamp(),
                            origin));
                }
                return entries;
            }

            @Override
            public String toString() {
                return "Send" + specs + (sentAt == 0 ? "" : " sentAt=" + sentAt);
            }
        }
    }

    /** How an entry's sequence relates to the next one expected: uint64 values above 2^63 read as negative. */
    enum SeqKind { NEXT, REPEAT, GAP, ZERO, ABOVE_SIGNED }

    /** One entry; {@code origin} "=" stands for the origin the stream said hello as. */
    record EntrySpec(SeqKind seq, int offset, String keyspace, byte[] key, byte[] value, boolean tombstone,
            long timestamp, String origin) {
        @Override
        public String toString() {
            return seq + (seq == SeqKind.NEXT || seq == SeqKind.ZERO ? "" : "+" + offset)
                    + " " + shown(keyspace).replace("\0", "\\0") + "/" + key.length + "B=" + value.length + "B"
                    + (tombstone ? " tombstone" : "") + " ts=" + timestamp + " origin=" + origin;
        }
    }

    @Provide
    Arbitrary<Script> scripts() {
        Arbitrary<Step> steps = Arbitraries.frequencyOf(
                Tuple.of(8, sends()),
                Tuple.of(3, Combinators.combine(
                        Arbitraries.frequency(Tuple.of(5, "origin-a"), Tuple.of(3, "origin-b"), Tuple.of(1, "stranger"),
                                Tuple.of(1, ""), Tuple.of(1, REGION)),
                        Arbitraries.frequency(Tuple.of(8, REGION), Tuple.of(1, "elsewhere"), Tuple.of(1, "")))
                        .as(Step.Greet::new)),
                Tuple.of(2, Combinators.combine(seqKinds(), Arbitraries.integers().between(0, 5)).as(Step.End::new)),
                Tuple.of(1, Arbitraries.just(new Step.Unknown())),
                Tuple.of(1, Arbitraries.just(new Step.Reconnect())));
        Arbitrary<Step> greeting = Arbitraries.of(new Step.Greet("origin-a", REGION), new Step.Greet("origin-b", REGION));
        // Most scripts say hello first, so that their batches get past it and reach the apply rules.
        return Combinators.combine(Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false)), greeting,
                steps.list().ofMinSize(1).ofMaxSize(10)).as((greet, hello, rest) -> {
                    var all = new ArrayList<Step>();
                    if (greet) {
                        all.add(hello);
                    }
                    all.addAll(rest);
                    return new Script(all);
                });
    }

    private static Arbitrary<SeqKind> seqKinds() {
        return Arbitraries.frequency(Tuple.of(12, SeqKind.NEXT), Tuple.of(2, SeqKind.REPEAT), Tuple.of(2, SeqKind.GAP),
                Tuple.of(2, SeqKind.ZERO), Tuple.of(1, SeqKind.ABOVE_SIGNED));
    }

    private static Arbitrary<Step> sends() {
        Arbitrary<String> keyspaces = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(KEYSPACES)),
                Tuple.of(1, Arbitraries.of("", "bad\0keyspace")));
        Arbitrary<byte[]> keys = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of("k1", "k2", "k3").map(k -> k.getBytes(UTF_8))),
                Tuple.of(1, Arbitraries.just(new byte[0])),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8)),
                Tuple.of(1, Arbitraries.just(new byte[100 * 1024])));
        Arbitrary<byte[]> values = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.bytes().array(byte[].class).ofMaxSize(32)),
                Tuple.of(1, Arbitraries.just(new byte[300 * 1024])));
        long now = Clock.systemUTC().millis() << 16;
        Arbitrary<Long> timestamps = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(now - 1_000_000, now + 1_000_000)),
                Tuple.of(1, Arbitraries.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - 1,
                        now + (365L * 86_400_000 << 16))));
        Arbitrary<String> origins = Arbitraries.frequency(Tuple.of(8, "="), Tuple.of(1, "origin-b"),
                Tuple.of(1, "elsewhere"), Tuple.of(1, REGION), Tuple.of(1, ""));
        Arbitrary<EntrySpec> specs = Combinators.combine(seqKinds(), Arbitraries.integers().between(0, 5), keyspaces, keys,
                values, Arbitraries.frequency(Tuple.of(4, false), Tuple.of(1, true)), timestamps, origins)
                .as(EntrySpec::new);
        return Combinators.combine(specs.list().ofMaxSize(6),
                Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(0L)), Tuple.of(1, timestamps)))
                .as(Step.Send::new);
    }
}
