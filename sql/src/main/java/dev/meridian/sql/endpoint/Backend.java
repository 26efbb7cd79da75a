package dev.meridian.sql.endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One of a session's server connections and what the session knows of its state: the prepared statements it
 * holds and its transaction status. Sends a unit of client messages and reads the answers: relayed to the client,
 * or swallowed when the endpoint sent the messages on its own behalf.
 */
final class Backend implements AutoCloseable {
    /** The server's answers to one unit: the transaction status after it and its first error, if any. */
    record Outcome(byte status, PgMessage error) {}

    /** Reads client messages during COPY FROM STDIN; the session owns the client stream. */
    interface CopyIn {
        void forward(Backend to) throws IOException;
    }

    private final BackendConnection connection;
    private final boolean primary;
    /** Statement name → the Parse message this server last prepared under that name. */
    private final Map<String, PgMessage> statements = new HashMap<>();
    private byte status = 'I';

    Backend(BackendConnection connection, boolean primary) {
        this.connection = connection;
        this.primary = primary;
    }

    /** True for the read-write primary's server. */
    boolean isPrimary() {
        return primary;
    }

    byte status() {
        return status;
    }

    BackendConnection connection() {
        return connection;
    }

    /**
     * The Close and Parse messages this server needs before {@code unit}, so every prepared statement the unit uses
     * is the one the client last prepared under that name, even when it was prepared on the session's other server.
     */
    List<PgMessage> statementsNeededBy(List<PgMessage> unit, Map<String, PgMessage> latest) {
        var needed = new ArrayList<PgMessage>();
        var parsedHere = new HashMap<String, PgMessage>();
        for (PgMessage m : unit) {
            String name = statementUsed(m);
            if (m.type() == Messages.PARSE) {
                if (!name.isEmpty() && statements.containsKey(name) && statements.get(name) != latest.get(name)
                        && !parsedHere.containsKey(name)) {
                    needed.add(close(name)); // the client closed it through the other server
                }
                parsedHere.put(name, m);
            } else if (name != null && !parsedHere.containsKey(name) && latest.containsKey(name)
                    && statements.get(name) != latest.get(name)) {
                if (!name.isEmpty() && statements.containsKey(name)) {
                    needed.add(close(name));
                }
                needed.add(latest.get(name));
                parsedHere.put(name, latest.get(name));
            }
        }
        return needed;
    }

    /** Sends {@code injected} (swallowing their answers), then {@code unit}, then {@code trailer} (swallowed too). */
    void send(List<PgMessage> injected, List<PgMessage> unit, PgMessage trailer) throws IOException {
        for (PgMessage m : injected) {
            write(m);
        }
        for (PgMessage m : unit) {
            write(m);
        }
        if (trailer != null) {
            write(trailer);
        }
        flush();
    }

    /** Records what the sent messages did to this server's prepared statements. */
    void track(List<PgMessage> messages, Map<String, PgMessage> latest) {
        for (PgMessage m : messages) {
            if (m.type() == Messages.PARSE) {
                String name = m.cstring(0);
                statements.put(name, m);
                latest.put(name, m);
            } else if (m.type() == Messages.CLOSE && m.body().length > 0 && m.body()[0] == 'S') {
                String name = m.cstring(1);
                statements.remove(name);
                latest.remove(name);
            }
        }
    }

    /** Forgets every prepared statement (after DISCARD ALL or DEALLOCATE ALL). */
    void forgetStatements() {
        statements.clear();
    }

    /**
     * Reads the answers to {@code injected} messages: one completion each. An error among them is relayed to
     * {@code client}, since the server now skips the client's messages up to the Sync. Returns true on error.
     */
    boolean swallowInjected(int injected, PgStream client) throws IOException {
        int done = 0;
        while (done < injected) {
            PgMessage m = read();
            if (m.type() == Messages.ERROR_RESPONSE) {
                client.write(m);
                return true;
            }
            if (m.type() == '1' || m.type() == '3') {
                done++;
            }
        }
        return false;
    }

    /**
     * Reads the answers to a unit that ended with Sync or Query, up to its ReadyForQuery, relaying them to
     * {@code client} or, when {@code client} is null, swallowing them.
     */
    Outcome drainToReady(PgStream client, CopyIn copyIn) throws IOException {
        PgMessage firstError = null;
        while (true) {
            PgMessage m = read();
            if (client != null) {
                client.write(m);
            }
            if (m.type() == Messages.ERROR_RESPONSE && firstError == null) {
                firstError = m;
            } else if (m.type() == Messages.COPY_IN_RESPONSE) {
                if (client != null) {
                    client.flush();
                    copyIn.forward(this);
                } else {
                    write(new PgMessage(Messages.COPY_FAIL, Messages.cstrings("not expected")));
                    flush();
                }
            } else if (m.type() == Messages.READY_FOR_QUERY) {
                status = m.body()[0];
                return new Outcome(status, firstError);
            }
        }
    }

    /**
     * Reads the answers to a unit the client ended with Flush: one completion per message that has one, stopping
     * early at an error (the server then skips to the Sync).
     */
    void drainFlushed(List<PgMessage> unit, PgStream client, CopyIn copyIn) throws IOException {
        int expected = 0;
        for (PgMessage m : unit) {
            if (m.type() == Messages.PARSE || m.type() == Messages.BIND || m.type() == Messages.CLOSE
                    || m.type() == Messages.DESCRIBE || m.type() == Messages.EXECUTE) {
                expected++;
            }
        }
        while (expected > 0) {
            PgMessage m = read();
            client.write(m);
            switch (m.type()) {
                case Messages.ERROR_RESPONSE -> expected = 0;
                case Messages.COPY_IN_RESPONSE -> {
                    client.flush();
                    copyIn.forward(this);
                }
                case '1', '2', '3', 'T', 'n', Messages.COMMAND_COMPLETE, Messages.EMPTY_QUERY,
                        Messages.PORTAL_SUSPENDED -> expected--;
                default -> { }
            }
        }
    }

    /** The first column of the first row of a swallowed single-row query, as text, up to its ReadyForQuery. */
    String drainValue() throws IOException {
        String value = null;
        while (true) {
            PgMessage m = read();
            if (m.type() == Messages.DATA_ROW && value == null && m.int32(2) >= 0) {
                value = new String(m.body(), 6, m.int32(2), StandardCharsets.UTF_8);
            } else if (m.type() == Messages.READY_FOR_QUERY) {
                return value;
            }
        }
    }

    void write(PgMessage message) throws IOException {
        try {
            connection.stream().write(message);
        } catch (IOException e) {
            throw lost(e);
        }
    }

    void flush() throws IOException {
        try {
            connection.stream().flush();
        } catch (IOException e) {
            throw lost(e);
        }
    }

    private PgMessage read() throws IOException {
        try {
            return connection.stream().read();
        } catch (IOException e) {
            throw lost(e);
        }
    }

    private BackendLost lost(IOException e) {
        return new BackendLost("the connection to PostgreSQL at " + connection.address() + " was lost: "
                + e.getMessage(), e);
    }

    @Override
    public void close() {
        connection.close();
    }

    /** The prepared statement a message creates, uses or closes; null for other messages. */
    private static String statementUsed(PgMessage m) {
        return switch (m.type()) {
            case Messages.PARSE -> m.cstring(0);
            case Messages.BIND -> m.cstring(m.skipCstring(0));
            case Messages.DESCRIBE -> m.body().length > 0 && m.body()[0] == 'S' ? m.cstring(1) : null;
            default -> null;
        };
    }

    private static PgMessage close(String statement) {
        byte[] name = Messages.cstrings(statement);
        byte[] body = new byte[name.length + 1];
        body[0] = 'S';
        System.arraycopy(name, 0, body, 1, name.length);
        return new PgMessage(Messages.CLOSE, body);
    }
}
