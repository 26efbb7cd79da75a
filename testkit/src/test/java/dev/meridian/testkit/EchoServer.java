package dev.meridian.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A test target that echoes every byte back and records when each read arrived; EOF is answered with "bye" and FIN. */
final class EchoServer implements AutoCloseable {
    static final byte[] GOODBYE = "bye".getBytes();

    private final ServerSocket server;
    final BlockingQueue<Long> arrivalNanos = new LinkedBlockingQueue<>();
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    EchoServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "echo-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                events.add("accepted");
                Thread echo = new Thread(() -> echo(socket), "echo-conn");
                echo.setDaemon(true);
                echo.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void echo(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                arrivalNanos.add(System.nanoTime());
                out.write(buffer, 0, n);
            }
            events.add("eof");
            out.write(GOODBYE);
            socket.shutdownOutput();
        } catch (IOException e) {
            events.add("error");
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
