package dev.meridian.gateway.dns;

import dev.meridian.gateway.RegionDirectory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's DNS routing: an authoritative responder for one zone, over UDP and TCP on one port, whose answers come
 * from the region directory at the moment of each query. The zone apex names the nearest healthy region (like a
 * Route 53 latency record with health checks), {@code <region>.<zone>} names each region, and
 * {@code _http._tcp.<zone>} lists the regions nearest first with their ports.
 */
public final class DnsResponder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DnsResponder.class);
    private static final int TCP_BACKLOG = 64;
    /** How many free ports to try when port 0 puts UDP on a port whose TCP side someone else holds. */
    private static final int FREE_PORT_ATTEMPTS = 5;

    private final int port;
    private final UdpListener udp;
    private final TcpListener tcp;

    private DnsResponder(int port, UdpListener udp, TcpListener tcp) {
        this.port = port;
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Binds UDP and TCP on the settings' address and port and starts answering before it returns. */
    public static DnsResponder start(DnsSettings settings, RegionDirectory regions) throws IOException {
        InetAddress address = InetAddress.getByName(settings.bindAddress());
        // The zone's name server is this responder; listening on every address, it has no one address to publish.
        List<InetAddress> nameServerAddresses = address.isAnyLocalAddress() ? List.of() : List.of(address);
        var answerer = new QueryAnswerer(new RegionZone(settings.apex(), settings.ttl(), nameServerAddresses, regions));
        SharedPort bound = bind(address, settings.port());
        UdpListener udp = UdpListener.start(bound.udp(), bound.port(), answerer);
        TcpListener tcp = TcpListener.start(bound.tcp(), bound.port(), answerer);
        log.info("event=dns_responder_started zone={} address={} port={} ttl={}s", settings.apex(),
                address.getHostAddress(), bound.port(), settings.ttl().toSeconds());
        return new DnsResponder(bound.port(), udp, tcp);
    }

    /** The port answering over UDP and TCP: the configured one, or the free one taken for port 0. */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        tcp.close();
        udp.close();
    }

    private record SharedPort(DatagramChannel udp, ServerSocketChannel tcp, int port) {}

    private static SharedPort bind(InetAddress address, int port) throws IOException {
        for (int attempt = 1; ; attempt++) {
            DatagramChannel udp = DatagramChannel.open();
            ServerSocketChannel tcp = null;
            try {
                udp.bind(new InetSocketAddress(address, port));
                int bound = ((InetSocketAddress) udp.getLocalAddress()).getPort();
                tcp = ServerSocketChannel.open();
                tcp.bind(new InetSocketAddress(address, bound), TCP_BACKLOG);
                return new SharedPort(udp, tcp, bound);
            } catch (IOException e) {
                udp.close();
                if (tcp != null) {
                    tcp.close();
                }
                // UDP took a free port whose TCP twin was already taken: another free port will do.
                boolean takenTcpTwin = port == 0 && tcp != null && e instanceof BindException;
                if (!takenTcpTwin || attempt == FREE_PORT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
