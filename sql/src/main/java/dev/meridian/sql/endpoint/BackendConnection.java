package dev.meridian.sql.endpoint;

import com.ongres.scram.client.ScramClient;
import com.ongres.scram.common.StringPreparation;
import com.ongres.scram.common.exception.ScramException;
import dev.meridian.core.HostPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A session's connection to one PostgreSQL server (this region's, or the primary's through the WAN link), opened
 * as the client's own user with the startup parameters the client sent. Authenticates with SCRAM-SHA-256, MD5 or
 * a cleartext password, whichever the server asks for.
 */
final class BackendConnection implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int PROTOCOL_3_0 = 196608;
    private static final int CANCEL_REQUEST_CODE = 80877102;

    private final HostPort address;
    private final PgStream stream;
    private final List<PgMessage> parameterStatus = new ArrayList<>();
    private int processId;
    private int secret;

    private BackendConnection(HostPort address, PgStream stream) {
        this.address = address;
        this.stream = stream;
    }

    /**
     * Connects and authenticates. A server's refusal (wrong database, too many connections, ...) comes back as
     * {@link BackendRefusal} carrying the server's ErrorResponse, for the endpoint to relay as it is.
     */
    static BackendConnection open(HostPort address, Map<String, String> startup, String password) throws IOException {
        var socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address.host(), address.port()), CONNECT_TIMEOUT_MILLIS);
            var connection = new BackendConnection(address, PgStream.server(socket));
            connection.startup(startup, password);
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The server's ParameterStatus messages from startup (server_version, client_encoding, ...). */
    List<PgMessage> parameterStatus() {
        return parameterStatus;
    }

    PgStream stream() {
        return stream;
    }

    HostPort address() {
        return address;
    }

    /** Asks the server, on a connection of its own, to cancel what this connection is running. */
    void cancel() {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.host(), address.port()), CONNECT_TIMEOUT_MILLIS);
            socket.getOutputStream().write(ByteBuffer.allocate(16).putInt(16).putInt(CANCEL_REQUEST_CODE)
                    .putInt(processId).putInt(secret).array());
        } catch (IOException e) {
            // best effort, as PostgreSQL's own cancel is
        }
    }

    @Override
    public void close() {
        try {
            stream.write(Messages.terminate());
            stream.flush();
        } catch (IOException e) {
            // the server is gone already
        }
        stream.close();
    }

    private void startup(Map<String, String> parameters, String password) throws IOException {
        var body = new ByteArrayOutputStream();
        body.writeBytes(ByteBuffer.allocate(4).putInt(PROTOCOL_3_0).array());
        parameters.forEach((key, value) -> body.writeBytes(Messages.cstrings(key, value)));
        body.write(0);
        stream.writeRaw(ByteBuffer.allocate(4).putInt(body.size() + 4).array());
        stream.writeRaw(body.toByteArray());
        stream.flush();
        String user = parameters.get("user");
        ScramClient scram = null;
        while (true) {
            PgMessage message = stream.read();
            switch (message.type()) {
                case Messages.AUTHENTICATION -> scram = authenticationStep(message, user, password, scram);
                case Messages.PARAMETER_STATUS -> parameterStatus.add(message);
                case Messages.BACKEND_KEY_DATA -> {
                    processId = message.int32(0);
                    secret = message.int32(4);
                }
                case Messages.ERROR_RESPONSE -> throw new BackendRefusal(message);
                case Messages.READY_FOR_QUERY -> {
                    return;
                }
                default -> { } // NoticeResponse during startup: nothing the client needs
            }
        }
    }

    private ScramClient authenticationStep(PgMessage message, String user, String password, ScramClient scram)
            throws IOException {
        int code = message.int32(0);
        try {
            switch (code) {
                case 0 -> { } // AuthenticationOk
                case 3 -> stream.write(new PgMessage(Messages.PASSWORD, Messages.cstrings(password)));
                case 5 -> stream.write(new PgMessage(Messages.PASSWORD, Messages.cstrings(
                        md5Password(user, password, ByteBuffer.wrap(message.body(), 4, 4)))));
                case 10 -> {
                    scram = ScramClient.builder().advertisedMechanisms(mechanisms(message)).username(user)
                            .password(password.toCharArray()).stringPreparation(StringPreparation.POSTGRESQL_PREPARATION)
                            .build();
                    stream.write(Messages.saslInitialResponse(scram.getScramMechanism().getName(),
                            scram.clientFirstMessage().toString().getBytes(StandardCharsets.UTF_8)));
                }
                case 11 -> {
                    scram.serverFirstMessage(saslData(message));
                    stream.write(Messages.saslResponse(
                            scram.clientFinalMessage().toString().getBytes(StandardCharsets.UTF_8)));
                }
                case 12 -> scram.serverFinalMessage(saslData(message));
                default -> throw new IOException("the PostgreSQL server at " + address
                        + " asks for an authentication method the endpoint does not speak (code " + code + ")");
            }
        } catch (ScramException e) {
            throw new IOException("SCRAM authentication with " + address + " failed: " + e.getMessage(), e);
        }
        stream.flush();
        return scram;
    }

    private static List<String> mechanisms(PgMessage message) {
        var names = new ArrayList<String>();
        int offset = 4;
        while (offset < message.body().length && message.body()[offset] != 0) {
            names.add(message.cstring(offset));
            offset = message.skipCstring(offset);
        }
        return names;
    }

    private static String saslData(PgMessage message) {
        return new String(message.body(), 4, message.body().length - 4, StandardCharsets.UTF_8);
    }

    /** PostgreSQL's MD5 response: "md5" + md5(md5(password + user) + salt). */
    private static String md5Password(String user, String password, ByteBuffer salt) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            String inner = HexFormat.of().formatHex(md5.digest((password + user).getBytes(StandardCharsets.UTF_8)));
            md5.update(inner.getBytes(StandardCharsets.US_ASCII));
            byte[] saltBytes = new byte[4];
            salt.get(saltBytes);
            return "md5" + HexFormat.of().formatHex(md5.digest(saltBytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    /** The server refused the connection; its ErrorResponse is what the client should see. */
    static final class BackendRefusal extends IOException {
        private final transient PgMessage error;

        BackendRefusal(PgMessage error) {
            super(Messages.errorField(error, 'M'));
            this.error = error;
        }

        PgMessage error() {
            return error;
        }
    }
}
