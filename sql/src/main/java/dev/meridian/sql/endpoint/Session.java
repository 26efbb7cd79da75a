package dev.meridian.sql.endpoint;

import dev.meridian.core.HostPort;
import dev.meridian.sql.postgres.Lsn;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to the endpoint. After authenticating the client, it reads the client's messages in units
 * (a simple Query, or extended-protocol messages up to Sync or Flush) and routes each unit to a server:
 *
 * <ul>
 *   <li>in the primary region, to the primary's server, unchanged;
 *   <li>in a secondary region, read-only work to the region's hot standby and anything that writes to the primary
 *       (write forwarding). A transaction that began on the standby and then writes is moved whole: the standby's
 *       part is rolled back and the transaction's units so far are replayed on the primary before the write.
 * </ul>
 *
 * Before a read that starts on the standby, {@code meridian.read_consistency} decides the wait: SESSION until the
 * standby has replayed this session's last forwarded commit (its LSN is read on the primary right behind each
 * forwarded unit, in the same round trip), GLOBAL until it has replayed the primary's position read when the read
 * began, EVENTUAL not at all.
 */
final class Session implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    private static final int PROTOCOL_3 = 3;
    private static final int SSL_REQUEST = 80877103;
    private static final int GSSENC_REQUEST = 80877104;
    private static final int CANCEL_REQUEST = 80877102;

    private final SqlEndpoint endpoint;
    private final PgStream client;
    private final int processId;
    private final int secret;
    private final Map<String, String> startup = new LinkedHashMap<>();
    private String password;
    private ReadConsistency consistency;
    private Lsn sessionLsn = Lsn.parse("0/0");

    /** The server the session started on: this region's own, or the primary's while the standby is not up. */
    private Backend local;
    /** The primary's server, in a secondary region, once the session first writes. */
    private Backend remote;
    /** Where the open transaction runs; null outside a transaction. */
    private Backend transactionOwner;
    /** Where the rest of a unit goes after the client flushed its first part. */
    private Backend flushedTo;
    private volatile Backend running;
    /** The units of a transaction running on the standby, to replay on the primary if it writes. */
    private final List<List<PgMessage>> standbyTransaction = new ArrayList<>();
    /** The client's messages since its last Sync, and how many of them were sent (the client may Flush). */
    private final List<PgMessage> unitSoFar = new ArrayList<>();
    private int sentUpTo;
    private boolean discardUntilSync;
    private final List<String> settings = new ArrayList<>();
    private final Map<String, PgMessage> statements = new HashMap<>();
    private final Map<String, StatementKind> statementKinds = new HashMap<>();
    private final Map<String, StatementKind> portalKinds = new HashMap<>();
    /** A temporary table exists only on the primary's server: the session stays there. */
    private boolean pinnedToPrimary;

    Session(SqlEndpoint endpoint, PgStream client, int processId, int secret) {
        this.endpoint = endpoint;
        this.client = client;
        this.processId = processId;
        this.secret = secret;
        this.consistency = endpoint.settings().defaultConsistency();
    }

    int processId() {
        return processId;
    }

    int secret() {
        return secret;
    }

    @Override
    public void run() {
        try {
            if (startup()) {
                serve();
            }
        } catch (ProtocolException e) {
            fatal(e.sqlState(), e.getMessage(), null);
        } catch (BackendLost e) {
            fatal("08006", e.getMessage(), "Reconnect; a transaction in progress was not committed unless"
                    + " its COMMIT had been answered.");
        } catch (EOFException e) {
            // the client left
        } catch (IOException e) {
            log.debug("event=sql_session_ended pid={} error=\"{}\"", processId, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("event=sql_session_failed pid={} error=\"{}\"", processId, e.toString(), e);
            fatal("XX000", "internal error in the Meridian endpoint: " + e.getMessage(), "Reconnect; this is a bug"
                    + " worth reporting with the region's log.");
        } finally {
            for (Backend backend : new Backend[] {local, remote}) {
                if (backend != null) {
                    backend.close();
                }
            }
            client.close();
            endpoint.ended(this);
        }
    }

    /** Ends the session from outside: its thread sees the closed client connection. */
    void disconnect() {
        client.close();
    }

    /** Cancels what the session's server is running, as a CancelRequest to PostgreSQL would. */
    void cancel() {
        Backend current = running;
        if (current != null) {
            current.connection().cancel();
        }
    }

    private boolean startup() throws IOException {
        while (true) {
            ByteBuffer packet = ByteBuffer.wrap(client.readStartupPacket());
            int code = packet.getInt();
            if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
                client.writeRaw(new byte[] {'N'});
                client.flush();
                continue;
            }
            if (code == CANCEL_REQUEST) {
                if (packet.remaining() >= 8) {
                    endpoint.cancel(packet.getInt(), packet.getInt());
                }
                return false;
            }
            if (code >>> 16 != PROTOCOL_3) {
                throw new ProtocolException("0A000", "unsupported frontend protocol " + (code >>> 16) + "."
                        + (code & 0xffff) + ": server supports 3.0 to 3.0");
            }
            readParameters(packet.array(), 4);
            break;
        }
        String user = startup.get("user");
        if (user == null || user.isEmpty()) {
            throw new ProtocolException("28000", "no PostgreSQL user name specified in startup packet");
        }
        String replication = startup.getOrDefault("replication", "false");
        if (!List.of("false", "off", "no", "0").contains(replication.toLowerCase(Locale.ROOT))) {
            throw new ProtocolException("0A000", "the Meridian endpoint does not serve replication connections;"
                    + " stream from the region's PostgreSQL server");
        }
        startup.putIfAbsent("database", user);
        Optional<String> fromOptions = consistencyInOptions(startup.getOrDefault("options", ""));
        endpoint.verifier().authenticate(client, user);
        if (fromOptions.isPresent()) {
            consistency = ReadConsistency.parse(fromOptions.get()).orElseThrow(() -> new ProtocolException("22023",
                    "invalid value for parameter \"" + ReadConsistency.PARAMETER + "\": \"" + fromOptions.get() + "\""));
        }
        password = endpoint.settings().users().get(user);
        client.write(Messages.authentication(0, new byte[0]));

        ServerRoutes routes = endpoint.routes();
        Optional<HostPort> own = routes.local();
        try {
            if (own.isPresent()) {
                local = open(own.get(), routes.localIsPrimary());
            } else {
                local = open(routes.primary(), true);
            }
        } catch (BackendConnection.BackendRefusal e) {
            client.write(e.error());
            client.flush();
            return false;
        } catch (IOException e) {
            throw new ProtocolException("08006", "could not connect to PostgreSQL: " + e.getMessage());
        }
        for (PgMessage status : local.connection().parameterStatus()) {
            client.write(status);
        }
        client.write(Messages.backendKeyData(processId, secret));
        client.write(Messages.readyForQuery((byte) 'I'));
        client.flush();
        return true;
    }

    /** {@code meridian.read_consistency} from the startup options ({@code -c name=value} or {@code --name=value}). */
    private static Optional<String> consistencyInOptions(String options) {
        String[] words = options.trim().split("\\s+");
        Optional<String> value = Optional.empty();
        for (int i = 0; i < words.length; i++) {
            String setting = words[i].equals("-c") && i + 1 < words.length ? words[++i]
                    : words[i].startsWith("--") || words[i].startsWith("-c") ? words[i].substring(2) : "";
            int equals = setting.indexOf('=');
            if (equals > 0 && setting.substring(0, equals).replace('-', '_').equalsIgnoreCase(ReadConsistency.PARAMETER)) {
                value = Optional.of(setting.substring(equals + 1));
            }
        }
        return value;
    }

    private void readParameters(byte[] packet, int offset) {
        var message = new PgMessage((byte) 0, packet);
        while (offset < packet.length && packet[offset] != 0) {
            String key = message.cstring(offset);
            offset = message.skipCstring(offset);
            String value = message.cstring(offset);
            offset = message.skipCstring(offset);
            startup.put(key, value);
        }
    }

    private void serve() throws IOException {
        while (true) {
            PgMessage m = client.read();
            if (discardUntilSync && m.type() != Messages.SYNC) {
                continue; // after an error in an extended-protocol unit, as PostgreSQL does
            }
            switch (m.type()) {
                case Messages.PARSE, Messages.BIND, Messages.DESCRIBE, Messages.EXECUTE, Messages.CLOSE ->
                        unitSoFar.add(m);
                case Messages.QUERY, Messages.FUNCTION_CALL, Messages.SYNC, Messages.FLUSH -> {
                    if (discardUntilSync) {
                        discardUntilSync = false;
                        unitSoFar.clear();
                        sentUpTo = 0;
                        client.write(Messages.readyForQuery(transactionStatus()));
                        client.flush();
                        continue;
                    }
                    unitSoFar.add(m);
                    var part = new ArrayList<>(unitSoFar.subList(sentUpTo, unitSoFar.size()));
                    sentUpTo = unitSoFar.size();
                    dispatch(part, m.type() != Messages.FLUSH);
                }
                case Messages.TERMINATE -> {
                    return;
                }
                case Messages.COPY_DATA, Messages.COPY_DONE, Messages.COPY_FAIL -> { } // ignored outside COPY, as PostgreSQL does
                default -> throw new ProtocolException("08P01", "invalid frontend message type " + m.type());
            }
        }
    }

    /** Routes one unit and relays its answers; {@code synced} when it ends with Sync or Query. */
    private void dispatch(List<PgMessage> unit, boolean synced) throws IOException {
        Map<PgMessage, List<List<String>>> sql = tokenize(unit);
        List<List<String>> statements = sql.values().stream().flatMap(List::stream).toList();
        StatementKind kind = kindOf(unit, sql);
        Optional<ReadConsistency> newConsistency = Optional.empty();
        Optional<String> value = StatementKind.readConsistencySetting(statements, ReadConsistency.PARAMETER);
        if (value.isPresent()) {
            newConsistency = value.get().equals("DEFAULT")
                    ? Optional.of(endpoint.settings().defaultConsistency()) : ReadConsistency.parse(value.get());
            if (newConsistency.isEmpty()) {
                refuse(synced, "22023", "invalid value for parameter \"" + ReadConsistency.PARAMETER + "\": \""
                        + value.get() + "\"", "Available values: eventual, session, global.");
                return;
            }
        }
        boolean temporary = StatementKind.createsTemporaryObject(statements);
        Backend target;
        try {
            target = flushedTo != null ? flushedTo : target(temporary ? StatementKind.WRITE : kind);
            // A standby promoted since the session began (this region took over) has everything: no wait.
            if (!target.isPrimary() && transactionOwner == null && flushedTo == null
                    && kind != StatementKind.SETTING && !endpoint.routes().localIsPrimary()) {
                awaitConsistency();
            }
        } catch (Refusal r) {
            refuse(synced, r.sqlState, r.getMessage(), r.hint);
            return;
        }
        Backend.Outcome outcome = send(target, unit, synced, true);
        if (!synced) {
            flushedTo = target;
            return;
        }
        flushedTo = null;
        List<PgMessage> whole = new ArrayList<>(unitSoFar);
        unitSoFar.clear();
        sentUpTo = 0;
        transactionOwner = outcome.status() == 'I' ? null : target;
        if (transactionOwner != null && !target.isPrimary()) {
            standbyTransaction.add(whole);
        } else {
            standbyTransaction.clear();
        }
        if (outcome.error() == null) {
            newConsistency.ifPresent(mode -> consistency = mode);
            pinnedToPrimary |= temporary;
            boolean discards = StatementKind.discardsPreparedStatements(statements);
            if (discards) {
                target.forgetStatements();
            }
            if (kind == StatementKind.SETTING && transactionOwner == null) {
                applySettingsElsewhere(target, sqlTexts(unit), discards);
            }
        }
    }

    /** Which server runs a unit of this kind, opening the primary's or moving the transaction there if needed. */
    private Backend target(StatementKind kind) throws IOException, Refusal {
        if (local.isPrimary()) {
            return local;
        }
        if (transactionOwner != null) {
            if (transactionOwner.isPrimary() || kind != StatementKind.WRITE) {
                return transactionOwner;
            }
            return moveTransactionToPrimary();
        }
        return kind == StatementKind.WRITE || pinnedToPrimary ? primary() : local;
    }

    private Backend primary() throws IOException, Refusal {
        if (remote == null) {
            HostPort address = endpoint.routes().primary();
            try {
                remote = open(address, true);
            } catch (BackendConnection.BackendRefusal e) {
                throw new Refusal(Messages.errorField(e.error(), 'C'), "the primary refused the forwarded"
                        + " connection: " + e.getMessage(), null);
            } catch (IOException e) {
                throw new Refusal("08001", "cannot forward the write to the primary region's PostgreSQL at "
                        + address + ": " + e.getMessage(), "The primary is unreachable from this region; retry"
                        + " later, or connect to the primary region's endpoint.");
            }
            for (String sql : settings) {
                send(remote, List.of(Messages.query(sql)), true, false);
            }
        }
        return remote;
    }

    /**
     * The transaction began on the standby and now writes: roll the standby's part back and replay the
     * transaction's units on the primary, so the primary runs it whole.
     */
    private Backend moveTransactionToPrimary() throws IOException, Refusal {
        Backend standby = transactionOwner;
        Backend primary;
        try {
            primary = primary();
        } catch (Refusal r) {
            abort(standby);
            throw r;
        }
        send(standby, List.of(Messages.query("ROLLBACK")), true, false);
        PgMessage failed = null;
        for (List<PgMessage> unit : standbyTransaction) {
            Backend.Outcome outcome = send(primary, unit, true, false);
            failed = failed != null ? failed : outcome.error();
        }
        standbyTransaction.clear();
        transactionOwner = primary;
        if (failed != null) {
            throw new Refusal("40001", "the transaction began on this region's replica and failed when moved to"
                    + " the primary for its first write: " + Messages.errorField(failed, 'M'),
                    "Roll back and retry the transaction.");
        }
        return primary;
    }

    /** Puts the transaction on {@code backend} into the failed state, so the client's COMMIT rolls it back. */
    private void abort(Backend backend) throws IOException {
        send(backend, List.of(Messages.query("DO $$BEGIN RAISE EXCEPTION 'write forwarding failed'; END$$")),
                true, false);
    }

    private void awaitConsistency() throws Refusal {
        try {
            WalWatch wal = endpoint.walWatch();
            switch (consistency) {
                case EVENTUAL -> { }
                case SESSION -> {
                    if (sessionLsn.bytes() > 0) {
                        wal.awaitReplayed(sessionLsn, endpoint.settings().readWaitTimeout(), consistency);
                    }
                }
                case GLOBAL -> wal.awaitReplayed(wal.primaryCurrent(), endpoint.settings().readWaitTimeout(),
                        consistency);
            }
        } catch (SQLException e) {
            throw new Refusal(e.getSQLState() == null ? "57014" : e.getSQLState(), e.getMessage(),
                    "The primary region may be unreachable or far ahead; retry, or SET "
                            + ReadConsistency.PARAMETER + " = 'eventual' to read this region's replica as it is.");
        }
    }

    /**
     * Sends a unit to {@code target} with any prepared statements it needs, and reads the answers (relayed when
     * {@code relay}). Behind a synced unit forwarded to the primary, the primary's WAL position is read in the
     * same round trip, for SESSION reads.
     */
    private Backend.Outcome send(Backend target, List<PgMessage> unit, boolean synced, boolean relay)
            throws IOException {
        List<PgMessage> injected = target.statementsNeededBy(unit, statements);
        boolean readLsn = relay && synced && target == remote;
        running = target;
        try {
            target.send(injected, unit, readLsn ? Messages.query("SELECT pg_current_wal_lsn()") : null);
            target.track(injected, statements);
            target.track(unit, statements);
            boolean failed = target.swallowInjected(injected.size(), relay ? client : null);
            Backend.Outcome outcome = null;
            if (synced) {
                outcome = target.drainToReady(relay ? client : null, this::copyIn);
                if (readLsn) {
                    String lsn = target.drainValue();
                    if (lsn != null && sessionLsn.isBefore(Lsn.parse(lsn))) {
                        sessionLsn = Lsn.parse(lsn);
                    }
                }
            } else if (!failed) {
                target.drainFlushed(unit, client, this::copyIn);
            }
            if (relay) {
                client.flush();
            }
            return outcome;
        } finally {
            running = null;
        }
    }

    private void copyIn(Backend to) throws IOException {
        while (true) {
            PgMessage m = client.read();
            to.write(m);
            if (m.type() == Messages.COPY_DONE || m.type() == Messages.COPY_FAIL) {
                to.flush();
                return;
            }
        }
    }

    private void applySettingsElsewhere(Backend ranOn, List<String> texts, boolean discards) throws IOException {
        settings.addAll(texts);
        for (Backend other : new Backend[] {local, remote}) {
            if (other != null && other != ranOn) {
                for (String sql : texts) {
                    send(other, List.of(Messages.query(sql)), true, false);
                }
                if (discards) {
                    other.forgetStatements();
                }
            }
        }
    }

    private Backend open(HostPort address, boolean primary) throws IOException {
        return new Backend(BackendConnection.open(address, startup, password), primary);
    }

    /**
     * Answers a unit the endpoint will not run: an ErrorResponse, then ReadyForQuery at once for a synced unit, or
     * after skipping the client's messages up to its Sync.
     */
    private void refuse(boolean synced, String sqlState, String message, String hint) throws IOException {
        client.write(Messages.error("ERROR", sqlState, message, hint));
        if (synced) {
            unitSoFar.clear();
            sentUpTo = 0;
            client.write(Messages.readyForQuery(transactionStatus()));
        } else {
            discardUntilSync = true;
        }
        client.flush();
    }

    private byte transactionStatus() {
        return transactionOwner == null ? (byte) 'I' : transactionOwner.status();
    }

    private void fatal(String sqlState, String message, String hint) {
        try {
            client.write(Messages.error("FATAL", sqlState, message, hint));
            client.flush();
        } catch (IOException e) {
            // the client is gone
        }
    }

    private StatementKind kindOf(List<PgMessage> unit, Map<PgMessage, List<List<String>>> sql) {
        StatementKind kind = StatementKind.TRANSACTION;
        for (PgMessage m : unit) {
            StatementKind next = switch (m.type()) {
                case Messages.QUERY -> StatementKind.of(sql.get(m));
                case Messages.PARSE -> {
                    StatementKind parsed = StatementKind.of(sql.get(m));
                    statementKinds.put(m.cstring(0), parsed);
                    yield parsed;
                }
                case Messages.BIND -> {
                    StatementKind bound = statementKinds.getOrDefault(m.cstring(m.skipCstring(0)), StatementKind.WRITE);
                    portalKinds.put(m.cstring(0), bound);
                    yield bound;
                }
                case Messages.EXECUTE -> portalKinds.getOrDefault(m.cstring(0), StatementKind.WRITE);
                case Messages.FUNCTION_CALL -> StatementKind.WRITE;
                default -> StatementKind.TRANSACTION;
            };
            kind = StatementKind.stronger(kind, next);
        }
        return kind;
    }

    /** Each Query's and Parse's SQL in a unit, tokenized once for every decision the unit needs. */
    private static Map<PgMessage, List<List<String>>> tokenize(List<PgMessage> unit) {
        var tokens = new LinkedHashMap<PgMessage, List<List<String>>>(); // in unit order: the last SET wins
        for (PgMessage m : unit) {
            if (m.type() == Messages.QUERY) {
                tokens.put(m, SqlTokens.statements(m.cstring(0)));
            } else if (m.type() == Messages.PARSE) {
                tokens.put(m, SqlTokens.statements(m.cstring(m.skipCstring(0))));
            }
        }
        return tokens;
    }

    /** The SQL a unit runs: a Query's text and every Parse's. */
    private static List<String> sqlTexts(List<PgMessage> unit) {
        var texts = new ArrayList<String>();
        for (PgMessage m : unit) {
            if (m.type() == Messages.QUERY) {
                texts.add(m.cstring(0));
            } else if (m.type() == Messages.PARSE) {
                texts.add(m.cstring(m.skipCstring(0)));
            }
        }
        return texts;
    }

    /** A unit the endpoint answers with an error instead of running it. */
    private static final class Refusal extends Exception {
        private final String sqlState;
        private final String hint;

        Refusal(String sqlState, String message, String hint) {
            super(message);
            this.sqlState = sqlState;
            this.hint = hint;
        }
    }

}
