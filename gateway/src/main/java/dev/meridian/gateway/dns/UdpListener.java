package dev.meridian.gateway.dns;

import dev.meridian.gateway.dns.QueryAnswerer.Transport;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers the queries arriving on the responder's UDP socket, one datagram at a time, on its own daemon thread. */
final class UdpListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UdpListener.class);
    /** A query is one question and perhaps an OPT record; a longer datagram is cut here and so answered FORMERR. */
    private static final int MAX_QUERY_BYTES = 4_096;

    private final DatagramChannel channel;
    private final QueryAnswerer answerer;
    private final Thread thread;

    private UdpListener(DatagramChannel channel, int port, QueryAnswerer answerer) {
        this.channel = channel;
        this.answerer = answerer;
        this.thread = new Thread(this::answerUntilClosed, "gateway-dns-udp-" + port);
        this.thread.setDaemon(true);
    }

    /** Starts answering on {@code channel}, bound to {@code port}, which this listener owns from now on. */
    static UdpListener start(DatagramChannel channel, int port, QueryAnswerer answerer) {
        var listener = new UdpListener(channel, port, answerer);
        listener.thread.start();
        return listener;
    }

    private void answerUntilClosed() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_QUERY_BYTES);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                SocketAddress client = channel.receive(buffer);
                byte[] packet = new byte[buffer.flip().remaining()];
                buffer.get(packet);
                Optional<byte[]> answer = answerer.answer(packet, Transport.UDP);
                if (answer.isPresent()) {
                    channel.send(ByteBuffer.wrap(answer.get()), client);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // One client's packet, or a send to it that failed, must not stop the answers to everyone else.
                log.debug("event=dns_udp_packet_failed error=\"{}\"", e.toString());
            }
        }
    }

    @Override
    public void close() {
        try {
            // Ends the blocked receive with AsynchronousCloseException, and so the thread.
            channel.close();
        } catch (IOException e) {
            log.debug("event=dns_udp_close_failed error=\"{}\"", e.toString());
        }
    }
}
