package dev.meridian.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The network between regions: one {@link WanLink} per ordered pair, with delays from a {@link DelayMatrix}. */
public final class WanEmulator implements AutoCloseable {
    private final DelayMatrix delays;
    /** Keyed by {@code from->to}; links are opened once while a cluster starts and read from any thread after. */
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
        String key = key(from, to);
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

    /** The link {@code from} uses to reach {@code to}. */
    public WanLink link(String from, String to) {
        WanLink link = links.get(key(from, to));
        if (link == null) {
            throw new IllegalArgumentException("no WAN link " + key(from, to) + "; links are " + links.keySet());
        }
        return link;
    }

    /** Every link, ordered by source then target region. */
    public List<WanLink> links() {
        var all = new ArrayList<>(links.values());
        all.sort((x, y) -> key(x.from(), x.to()).compareTo(key(y.from(), y.to())));
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

    private List<WanLink> pair(String a, String b) {
        return List.of(link(a, b), link(b, a));
    }

    private static String key(String from, String to) {
        return from + "->" + to;
    }
}
