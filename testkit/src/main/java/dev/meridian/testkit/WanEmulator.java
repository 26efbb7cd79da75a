package dev.meridian.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The network between regions: a {@link WanLink} per ordered pair and channel (the fabric's peer stream, SQL,
 * control), with delays from a {@link DelayMatrix}. Cutting, healing or delaying a pair acts on every channel
 * between them.
 */
public final class WanEmulator implements AutoCloseable {
    /** The channel replication streams and other peer-port traffic use. */
    public static final String PEER = "peer";
    /** The channel a standby's PostgreSQL streams WAL from its primary's on. */
    public static final String SQL = "sql";
    /** The channel control-plane members (Ratis) talk to each other on. */
    public static final String CONTROL = "control";

    private final DelayMatrix delays;
    /** Keyed by {@code channel:from->to}; opened once while a cluster starts and read from any thread after. */
    private final Map<String, WanLink> links = new ConcurrentHashMap<>();

    public WanEmulator(DelayMatrix delays) {
        this.delays = delays;
    }

    public DelayMatrix delays() {
        return delays;
    }

    /**
     * Opens the link {@code from} uses to reach {@code to}'s {@code target}: forward bytes take d(from,to), answers
     * d(to,from).
     *
     * @param listenPort the port to listen on, or 0 for a free one
     */
    public WanLink open(String from, String to, InetSocketAddress target, int listenPort) throws IOException {
        return open(PEER, from, to, target, listenPort);
    }

    /** Opens a link like {@link #open(String, String, InetSocketAddress, int)} on another channel. */
    public WanLink open(String channel, String from, String to, InetSocketAddress target, int listenPort)
            throws IOException {
        String key = key(channel, from, to);
        if (links.containsKey(key)) {
            throw new IllegalStateException("link " + key + " is already open");
        }
        WanLink link = WanLink.builder(from, to, target)
                .listenPort(listenPort)
                .delays(delays.oneWay(from, to), delays.oneWay(to, from))
                .open();
        links.put(key, link);
        return link;
    }

    /** The link {@code from} uses to reach {@code to}'s peer port. */
    public WanLink link(String from, String to) {
        return link(PEER, from, to);
    }

    /** The link {@code from} uses to reach {@code to} on {@code channel}. */
    public WanLink link(String channel, String from, String to) {
        WanLink link = links.get(key(channel, from, to));
        if (link == null) {
            throw new IllegalArgumentException("no WAN link " + key(channel, from, to) + "; links are " + links.keySet());
        }
        return link;
    }

    /** Every peer-channel link, ordered by source then target region. */
    public List<WanLink> links() {
        var all = new ArrayList<WanLink>();
        links.forEach((key, link) -> {
            if (key.startsWith(PEER + ":")) {
                all.add(link);
            }
        });
        all.sort((x, y) -> key(PEER, x.from(), x.to()).compareTo(key(PEER, y.from(), y.to())));
        return List.copyOf(all);
    }

    /** Cuts both directions between {@code a} and {@code b}. */
    public void cut(String a, String b) {
        pair(a, b).forEach(WanLink::cut);
    }

    /** Black-holes both directions between {@code a} and {@code b}. */
    public void blackhole(String a, String b) {
        pair(a, b).forEach(WanLink::blackhole);
    }

    /** Restores both directions between {@code a} and {@code b}. */
    public void heal(String a, String b) {
        pair(a, b).forEach(WanLink::heal);
    }

    /** Sets the one-way delay between {@code a} and {@code b}, both ways. */
    public void delay(String a, String b, Duration oneWay) {
        pair(a, b).forEach(link -> link.setDelay(oneWay, oneWay));
    }

    public void delay(String a, String b, long oneWayMillis) {
        delay(a, b, Duration.ofMillis(oneWayMillis));
    }

    /** Sets the jitter between {@code a} and {@code b}, both ways. */
    public void jitter(String a, String b, Duration jitter) {
        pair(a, b).forEach(link -> link.setJitter(jitter));
    }

    @Override
    public void close() {
        links.values().forEach(WanLink::close);
    }

    /** Every link between {@code a} and {@code b}, both directions, every channel. */
    private List<WanLink> pair(String a, String b) {
        link(a, b); // fails, naming the links there are, for a pair that does not exist
        return links.values().stream()
                .filter(l -> l.from().equals(a) && l.to().equals(b) || l.from().equals(b) && l.to().equals(a))
                .toList();
    }

    private static String key(String channel, String from, String to) {
        return channel + ":" + from + "->" + to;
    }
}
