package dev.meridian.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for processes that bind them seconds after they are picked. A port from {@code bind(0)}
 * lies in the kernel's ephemeral range, where any outgoing connection or other {@code bind(0)} may take it in
 * the meantime (a region unpacking PostgreSQL for 15 s lost its SQL port that way); ports below that range are
 * never handed out by the kernel, so only a process that names one explicitly can collide.
 */
public final class QuietPorts {
    private static final int LOWEST = 10_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private QuietPorts() {}

    /** {@code count} distinct ports that were free a moment ago, each below the ephemeral range. */
    public static List<Integer> pick(int count) {
        int ceiling = ephemeralStart();
        int span = ceiling - LOWEST;
        int next = LOWEST + ThreadLocalRandom.current().nextInt(span);
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int tried = 0; tried < span && ports.size() < count; tried++) {
                int port = LOWEST + (next - LOWEST + tried) % span;
                ServerSocket socket = tryBind(port);
                if (socket != null) {
                    held.add(socket);
                    ports.add(port);
                }
            }
            if (ports.size() < count) {
                throw new UncheckedIOException(new IOException("only " + ports.size() + " of " + count
                        + " loopback ports between " + LOWEST + " and " + ceiling + " are free"));
            }
            return ports;
        } finally {
            held.forEach(QuietPorts::close);
        }
    }

    /** One port, as {@link #pick(int)}. */
    public static int pickOne() {
        return pick(1).get(0);
    }

    private static ServerSocket tryBind(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            try {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return socket;
            } catch (IOException taken) {
                socket.close();
                return null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first port the kernel may assign by itself; 32768 (Linux's default) when it cannot be read. */
    static int ephemeralStart() {
        try {
            int start = Integer.parseInt(Files.readString(EPHEMERAL_RANGE).trim().split("\\s+")[0]);
            return start > LOWEST + 1_000 ? start : 32_768;
        } catch (IOException | RuntimeException unreadable) {
            return 32_768;
        }
    }

    private static void close(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // the probe is gone either way
        }
    }
}
