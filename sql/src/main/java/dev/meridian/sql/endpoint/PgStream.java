package dev.meridian.sql.endpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Reads and writes protocol messages on one socket, buffered. Lengths are checked before anything is allocated:
 * PostgreSQL's own limits (10,000 bytes for a startup packet and for the small fixed-size messages) and the
 * endpoint's configured largest message for the others.
 */
final class PgStream implements AutoCloseable {
    static final int MAX_STARTUP_PACKET = 10_000;
    private static final int SMALL_MESSAGE_LIMIT = 10_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int maxMessageBytes;
    private final boolean fromClient;

    private PgStream(Socket socket, int maxMessageBytes, boolean fromClient) throws IOException {
        this.socket = socket;
        this.fromClient = fromClient;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        this.maxMessageBytes = maxMessageBytes;
    }

    /** A client's connection: what it sends is held to the limits. */
    static PgStream client(Socket socket, int maxMessageBytes) throws IOException {
        return new PgStream(socket, maxMessageBytes, true);
    }

    /** A connection to a PostgreSQL server, which is trusted to send what PostgreSQL sends (up to 1 GB). */
    static PgStream server(Socket socket) throws IOException {
        return new PgStream(socket, 1 << 30, false);
    }

    /** A startup-phase packet (StartupMessage, SSLRequest, CancelRequest): its body after the length word. */
    byte[] readStartupPacket() throws IOException {
        int length = in.readInt();
        if (length < 8 || length > MAX_STARTUP_PACKET) {
            throw new ProtocolException("08P01", "invalid length of startup packet");
        }
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return body;
    }

    /** The next message; {@link EOFException} when the peer closed the connection between messages. */
    PgMessage read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed");
        }
        int length = in.readInt();
        int limit = fromClient && isSmall((byte) type) ? SMALL_MESSAGE_LIMIT : maxMessageBytes;
        if (length < 4 || length - 4 > limit) {
            throw new ProtocolException(length < 4 ? "08P01" : "54000", length < 4
                    ? "invalid message length"
                    : "message of " + (length - 4) + " bytes exceeds the limit of " + limit + " bytes");
        }
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return new PgMessage((byte) type, body);
    }

    void write(PgMessage message) throws IOException {
        int length = message.body().length + 4;
        out.write(message.type());
        out.write(length >>> 24);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.write(message.body());
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    void flush() throws IOException {
        out.flush();
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing either way
        }
    }

    /** The messages PostgreSQL reads with its small-message limit: fixed, tiny bodies. */
    private static boolean isSmall(byte type) {
        return type == Messages.SYNC || type == Messages.FLUSH || type == Messages.TERMINATE
                || type == Messages.DESCRIBE || type == Messages.CLOSE || type == Messages.EXECUTE
                || type == Messages.COPY_DONE;
    }
}
