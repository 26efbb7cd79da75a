package dev.meridian.gateway.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.meridian.gateway.RegionTarget;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The responder asked over real sockets by dnsjava's {@link SimpleResolver}, and by hand where a client would not. */
class DnsResponderTest {
    private static final RegionTarget EU = region("eu-west-1", "http://127.0.0.11:8101");
    private static final RegionTarget US = region("us-east-1", "http://127.0.0.12:8102");
    private static final RegionTarget AP = region("ap-south-1", "http://[fd00::13]:8103");
    private static final String ZONE = "meridian.local.";
    private static final String SERVICE = "_http._tcp." + ZONE;

    /** How a query travels to the responder. */
    enum Over { UDP, TCP }

    private final ChangeableRegions regions = new ChangeableRegions(List.of(EU, US, AP));
    private DnsResponder responder;

    @BeforeEach
    void start() throws IOException {
        // No trailing dot and no TTL: the defaults apply.
        responder = DnsResponder.start(new DnsSettings("meridian.local", "127.0.0.1", 0), regions);
    }

    @AfterEach
    void stop() {
        responder.close();
    }

    @ParameterizedTest
    @EnumSource(Over.class)
    void apexAnswersTheNearestHealthyRegionAndFollowsTheRanking(Over over) throws IOException {
        regions.rank(US, EU);
        Message nearestUs = ask(ZONE, Type.A, over);
        assertThat(nearestUs.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(nearestUs.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addresses(nearestUs)).containsExactly("127.0.0.12");

        regions.rank(EU, US);
        assertThat(addresses(ask(ZONE, Type.A, over))).containsExactly("127.0.0.11");

        regions.rank(US);
        assertThat(addresses(ask(ZONE, Type.A, over))).containsExactly("127.0.0.12");
    }

    @ParameterizedTest
    @EnumSource(Over.class)
    void regionNameAnswersThatRegionWhetherHealthyOrNot(Over over) throws IOException {
        regions.rank(US);
        assertThat(addresses(ask("eu-west-1." + ZONE, Type.A, over))).containsExactly("127.0.0.11");
        assertThat(addresses(ask("us-east-1." + ZONE, Type.A, over))).containsExactly("127.0.0.12");
    }

    @ParameterizedTest
    @EnumSource(Over.class)
    void srvListsHealthyRegionsNearestFirstWithTheirPortsAndAddresses(Over over) throws IOException {
        regions.rank(US, EU);
        Message response = ask(SERVICE, Type.SRV, over);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(byPriority(response)).extracting(SRVRecord::getPriority, srv -> srv.getTarget().toString(),
                SRVRecord::getPort).containsExactly(
                        tuple(0, "us-east-1." + ZONE, 8102),
                        tuple(1, "eu-west-1." + ZONE, 8101));
        assertThat(additionalAddresses(response))
                .containsExactlyInAnyOrder("us-east-1." + ZONE + " 127.0.0.12", "eu-west-1." + ZONE + " 127.0.0.11");
    }

    /**
     * Route 53: "If no record is healthy, all records are healthy", and it routes among them by the routing policy.
     * Without healthy regions there are no latencies, so the apex takes the first configured region, one answer as
     * a latency record gives, and the SRV set lists every region in configuration order.
     */
    @ParameterizedTest
    @EnumSource(Over.class)
    void withNoHealthyRegionEveryRegionCountsAsHealthyAsInRoute53(Over over) throws IOException {
        regions.rank();
        assertThat(addresses(ask(ZONE, Type.A, over))).containsExactly("127.0.0.11");
        assertThat(byPriority(ask(SERVICE, Type.SRV, over))).extracting(srv -> srv.getTarget().toString(),
                SRVRecord::getPort).containsExactly(
                        tuple("eu-west-1." + ZONE, 8101),
                        tuple("us-east-1." + ZONE, 8102),
                        tuple("ap-south-1." + ZONE, 8103));
    }

    @ParameterizedTest
    @EnumSource(Over.class)
    void unknownNameInTheZoneIsNxdomainWithTheSoa(Over over) throws IOException {
        Message response = ask("nowhere." + ZONE, Type.A, over);
        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class)
                .extracting(rec -> rec.getName().toString()).isEqualTo(ZONE);
    }

    @ParameterizedTest
    @EnumSource(Over.class)
    void nameOutsideTheZoneIsRefused(Over over) throws IOException {
        Message response = ask("example.com.", Type.A, over);
        assertThat(response.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(response.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(response.getQuestion().getName().toString()).isEqualTo("example.com.");
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void aaaaAnswersIpv6EndpointsAndNoDataWithTheSoaOtherwise() throws IOException {
        regions.rank(AP, EU);
        assertThat(addresses(ask(ZONE, Type.AAAA, Over.UDP))).containsExactly("fd00:0:0:0:0:0:0:13");
        assertThat(addresses(ask("ap-south-1." + ZONE, Type.AAAA, Over.UDP))).containsExactly("fd00:0:0:0:0:0:0:13");

        for (Message noData : List.of(ask(ZONE, Type.A, Over.UDP), ask("eu-west-1." + ZONE, Type.AAAA, Over.UDP),
                ask("_tcp." + ZONE, Type.A, Over.UDP))) {
            assertThat(noData.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(noData.getSection(Section.ANSWER)).isEmpty();
            assertThat(noData.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
        }
    }

    @Test
    void apexAnswersItsNsAndSoa() throws IOException {
        Message ns = ask(ZONE, Type.NS, Over.UDP);
        assertThat(ns.getSection(Section.ANSWER)).singleElement()
                .extracting(rec -> ((NSRecord) rec).getTarget().toString()).isEqualTo("ns." + ZONE);
        assertThat(additionalAddresses(ns)).containsExactly("ns." + ZONE + " 127.0.0.1");

        Message soa = ask(ZONE, Type.SOA, Over.UDP);
        assertThat(soa.getSection(Section.ANSWER)).singleElement()
                .extracting(rec -> ((SOARecord) rec).getHost().toString()).isEqualTo("ns." + ZONE);
    }

    @Test
    void namesMatchWhateverTheirCase() throws IOException {
        assertThat(addresses(ask("EU-West-1.MERIDIAN.local.", Type.A, Over.UDP))).containsExactly("127.0.0.11");
        assertThat(addresses(ask("Meridian.LOCAL.", Type.A, Over.UDP))).containsExactly("127.0.0.11");
    }

    @Test
    void recordsAndNegativeAnswersLiveForTheConfiguredTtl() throws IOException {
        assertThat(ask(ZONE, Type.A, Over.UDP).getSection(Section.ANSWER)).extracting(Record::getTTL)
                .containsExactly(5L);

        var settings = new DnsSettings(ZONE, "127.0.0.1", 0, Duration.ofSeconds(42));
        try (var responder = DnsResponder.start(settings, regions)) {
            assertThat(ask(responder, ZONE, Type.A, Over.UDP).getSection(Section.ANSWER)).extracting(Record::getTTL)
                    .containsExactly(42L);
            assertThat(ask(responder, SERVICE, Type.SRV, Over.UDP).getSection(Section.ANSWER))
                    .extracting(Record::getTTL).containsOnly(42L);
            // A resolver caches NXDOMAIN for the lesser of the SOA's TTL and its minimum (RFC 2308).
            SOARecord soa = (SOARecord) ask(responder, "nowhere." + ZONE, Type.A, Over.UDP)
                    .getSection(Section.AUTHORITY).get(0);
            assertThat(soa.getTTL()).isEqualTo(42L);
            assertThat(soa.getMinimum()).isEqualTo(42L);
        }
    }

    @Test
    void udpAnswerTooLargeForItsLimitIsTruncatedAndTcpCarriesItWhole() throws IOException {
        List<RegionTarget> twenty = IntStream.rangeClosed(1, 20)
                .mapToObj(i -> region("r" + i, "http://127.0.1." + i + ":" + (9000 + i)))
                .toList();
        var settings = new DnsSettings(ZONE, "127.0.0.1", 0);
        try (var responder = DnsResponder.start(settings, new ChangeableRegions(twenty))) {
            SimpleResolver withoutEdns = resolver(responder, Over.UDP);
            withoutEdns.setEDNS(-1, 0, 0, List.of());
            withoutEdns.setIgnoreTruncation(true);
            Message truncated = withoutEdns.send(query(SERVICE, Type.SRV));
            assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
            assertThat(truncated.getSection(Section.ANSWER)).isEmpty();

            SimpleResolver withEdns = resolver(responder, Over.UDP);
            withEdns.setEDNS(0, 1_232, 0, List.of());
            withEdns.setIgnoreTruncation(true);
            Message larger = withEdns.send(query(SERVICE, Type.SRV));
            assertThat(larger.getHeader().getFlag(Flags.TC)).isFalse();
            assertThat(larger.getSection(Section.ANSWER)).hasSize(20);

            Message whole = ask(responder, SERVICE, Type.SRV, Over.TCP);
            assertThat(whole.getHeader().getFlag(Flags.TC)).isFalse();
            assertThat(whole.getSection(Section.ANSWER)).hasSize(20);
            assertThat(additionalAddresses(whole)).hasSize(20);
        }
    }

    @Test
    void malformedDatagramsDoNotStopTheResponder() throws IOException {
        try (var socket = new DatagramSocket()) {
            socket.setSoTimeout(5_000);
            var random = new Random(20_261_202);
            for (int i = 0; i < 20; i++) {
                byte[] noise = new byte[1 + random.nextInt(600)];
                random.nextBytes(noise);
                send(socket, noise);
            }
            send(socket, new byte[] {1, 2, 3});
            // A header for ID 0xBEEF asking one question, then a 63-byte label that stops after one byte.
            send(socket, new byte[] {(byte) 0xBE, (byte) 0xEF, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63, 'x'});
            Header formatError = receiveId(socket, 0xBEEF);
            assertThat(formatError.getFlag(Flags.QR)).isTrue();
            assertThat(formatError.getRcode()).isEqualTo(Rcode.FORMERR);
        }
        assertThat(addresses(ask(ZONE, Type.A, Over.UDP))).containsExactly("127.0.0.11");
    }

    @Test
    void unknownEdnsVersionIsAnsweredBadvers() throws IOException {
        Message query = query(ZONE, Type.A);
        query.addRecord(new OPTRecord(1_232, 0, 1), Section.ADDITIONAL);
        try (var socket = new DatagramSocket()) {
            socket.setSoTimeout(5_000);
            send(socket, query.toWire());
            var packet = new DatagramPacket(new byte[1_232], 1_232);
            socket.receive(packet);
            Message response = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
            assertThat(response.getHeader().getID()).isEqualTo(query.getHeader().getID());
            assertThat(response.getRcode()).isEqualTo(Rcode.BADVERS);
            assertThat(response.getOPT()).isNotNull();
        }
    }

    @Test
    void tcpAnswersEveryLengthPrefixedQueryOnOneConnection() throws IOException {
        try (var socket = new Socket("127.0.0.1", responder.port())) {
            socket.setSoTimeout(5_000);
            var out = new DataOutputStream(socket.getOutputStream());
            var in = new DataInputStream(socket.getInputStream());
            for (String name : List.of("eu-west-1." + ZONE, "us-east-1." + ZONE)) {
                byte[] wire = query(name, Type.A).toWire();
                out.writeShort(wire.length);
                out.write(wire);
            }
            out.flush();
            var answers = new java.util.ArrayList<String>();
            for (int i = 0; i < 2; i++) {
                byte[] wire = new byte[in.readUnsignedShort()];
                in.readFully(wire);
                answers.addAll(addresses(new Message(wire)));
            }
            assertThat(answers).containsExactly("127.0.0.11", "127.0.0.12");
        }
    }

    @Test
    void closeEndsItsThreadsAndFreesItsPort() throws IOException {
        int port = responder.port();
        ask(ZONE, Type.A, Over.TCP);
        responder.close();
        String threadsOfPort = "gateway-dns-(udp|tcp)-" + port + "(-\\d+)?";
        await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().matches(threadsOfPort)));

        responder = DnsResponder.start(new DnsSettings(ZONE, "127.0.0.1", port), regions);
        assertThat(addresses(ask(ZONE, Type.A, Over.UDP))).containsExactly("127.0.0.11");
        assertThat(addresses(ask(ZONE, Type.A, Over.TCP))).containsExactly("127.0.0.11");
    }

    private Message ask(String name, int type, Over over) throws IOException {
        return ask(responder, name, type, over);
    }

    private static Message ask(DnsResponder responder, String name, int type, Over over) throws IOException {
        return resolver(responder, over).send(query(name, type));
    }

    private static SimpleResolver resolver(DnsResponder responder, Over over) {
        var resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", responder.port()));
        resolver.setTCP(over == Over.TCP);
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver;
    }

    private static Message query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    private void send(DatagramSocket socket, byte[] packet) throws IOException {
        socket.send(new DatagramPacket(packet, packet.length, new InetSocketAddress("127.0.0.1", responder.port())));
    }

    /** The header of the first answer with {@code id}, skipping the FORMERR answers to noise that parsed that far. */
    private static Header receiveId(DatagramSocket socket, int id) throws IOException {
        while (true) {
            var packet = new DatagramPacket(new byte[512], 512);
            socket.receive(packet);
            var header = new Header(Arrays.copyOf(packet.getData(), packet.getLength()));
            if (header.getID() == id) {
                return header;
            }
        }
    }

    private static List<String> addresses(Message response) {
        return response.getSection(Section.ANSWER).stream().map(DnsResponderTest::address).toList();
    }

    private static List<String> additionalAddresses(Message response) {
        return response.getSection(Section.ADDITIONAL).stream()
                .filter(rec -> rec.getType() == Type.A || rec.getType() == Type.AAAA)
                .map(rec -> rec.getName() + " " + address(rec))
                .toList();
    }

    private static String address(Record rec) {
        return rec instanceof ARecord a
                ? a.getAddress().getHostAddress()
                : ((AAAARecord) rec).getAddress().getHostAddress();
    }

    private static List<SRVRecord> byPriority(Message response) {
        return response.getSection(Section.ANSWER).stream().map(SRVRecord.class::cast)
                .sorted(Comparator.comparingInt(SRVRecord::getPriority))
                .toList();
    }

    private static RegionTarget region(String name, String endpoint) {
        return new RegionTarget(name, URI.create(endpoint));
    }
}
