package dev.meridian.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything one region process needs to start, read from YAML by {@link RegionConfigLoader}.
 *
 * @param region this region's name, e.g. {@code us-east-1}
 * @param dataDir where RocksDB keeps this region's state and change log
 * @param httpPort the port serving the AWS-compatible APIs, {@code /health}, {@code /metrics} and the admin API
 * @param peerPort the port peer regions stream replication to
 * @param peers every other region, by name and the address its peer port is reached at
 * @param accessKeys the credentials AWS SDK requests must be signed with
 * @param fabric replication tuning; defaults suit a local deployment
 * @param sql the SQL layer (a PostgreSQL server in this region), or null when this deployment runs none
 * @param control this region's member of the control plane (who is SQL primary, agreed through Apache Ratis), or
 *     null for a fixed SQL primary that never fails over
 * @param consistency how SESSION and GLOBAL reads of the DynamoDB and S3 APIs wait; defaults when absent
 */
public record RegionConfig(
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) Path dataDir,
        @JsonProperty(required = true) Integer httpPort,
        @JsonProperty(required = true) Integer peerPort,
        List<Peer> peers,
        @JsonProperty(required = true) List<AccessKey> accessKeys,
        FabricSettings fabric,
        SqlSettings sql,
        Control control,
        ConsistencySettings consistency) {

    private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern SQL_USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    public RegionConfig {
        peers = peers == null ? List.of() : List.copyOf(peers);
        accessKeys = accessKeys == null ? List.of() : List.copyOf(accessKeys);
        fabric = fabric == null ? FabricSettings.DEFAULTS : fabric;
        consistency = consistency == null ? ConsistencySettings.DEFAULTS : consistency;
    }

    /** A region with the default consistency settings. */
    public RegionConfig(String region, Path dataDir, Integer httpPort, Integer peerPort, List<Peer> peers,
            List<AccessKey> accessKeys, FabricSettings fabric, SqlSettings sql, Control control) {
        this(region, dataDir, httpPort, peerPort, peers, accessKeys, fabric, sql, control, null);
    }

    /** A region without the SQL layer. */
    public RegionConfig(String region, Path dataDir, Integer httpPort, Integer peerPort, List<Peer> peers,
            List<AccessKey> accessKeys, FabricSettings fabric) {
        this(region, dataDir, httpPort, peerPort, peers, accessKeys, fabric, null, null);
    }

    /** A region with no control plane: its SQL primary is fixed. */
    public RegionConfig(String region, Path dataDir, Integer httpPort, Integer peerPort, List<Peer> peers,
            List<AccessKey> accessKeys, FabricSettings fabric, SqlSettings sql) {
        this(region, dataDir, httpPort, peerPort, peers, accessKeys, fabric, sql, null);
    }

    public Optional<Control> controlSettings() {
        return Optional.ofNullable(control);
    }

    public Optional<SqlSettings> sqlSettings() {
        return Optional.ofNullable(sql);
    }

    /** The peer named {@code name}. */
    public Optional<Peer> peer(String name) {
        return peers.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * A peer region: its name, the {@code host:port} of its peer port (or of the WAN link in front of it), and,
     * when this region's PostgreSQL streams from that peer's, the {@code host:port} of that server (or its link).
     */
    public record Peer(@JsonProperty(required = true) String name, @JsonProperty(required = true) String address,
            String sqlAddress, String controlAddress) {
        public Peer(String name, String address) {
            this(name, address, null, null);
        }

        public Peer(String name, String address, String sqlAddress) {
            this(name, address, sqlAddress, null);
        }
    }

    /**
     * This region's member of the control plane: a Raft group (Apache Ratis) of every region, plus a witness when
     * configured, that agrees who the SQL primary is and fails it over, and agrees strong tables' writes.
     *
     * @param port the port this region's member listens on; peers reach it at their {@code peers[].controlAddress}
     * @param witness a member that only votes, so two regions still have a majority when one is lost
     * @param failoverTimeout how long the primary may be unreachable from a majority before it is replaced
     *     (default 10 s); it stops taking writes after half of that
     * @param heartbeatInterval how often each member reports to the group (default 1 s)
     */
    public record Control(@JsonProperty(required = true) Integer port, Witness witness, Duration failoverTimeout,
            Duration heartbeatInterval) {
        public Control {
            failoverTimeout = failoverTimeout == null ? Duration.ofSeconds(10) : failoverTimeout;
            heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(1) : heartbeatInterval;
        }
    }

    /** A witness member of the control plane: its name and the address this region reaches it at. */
    public record Witness(@JsonProperty(required = true) String name, @JsonProperty(required = true) String address) {}

    /**
     * The SQL layer: every region runs PostgreSQL; the primary region's is read-write and every other region's is a
     * hot standby cloned from it and streaming its WAL.
     *
     * @param primary the region whose PostgreSQL is read-write
     * @param serverPort the port this region's PostgreSQL server listens on
     * @param superuser the PostgreSQL superuser, also used for replication
     * @param password its password
     * @param endpointPort the port of this region's PostgreSQL-protocol endpoint (none when absent)
     * @param listenAddress the address the server and the endpoint listen on (default 127.0.0.1)
     * @param users the users clients log in as, besides the superuser; the primary creates them
     * @param readConsistency a new session's {@code meridian.read_consistency}: eventual (default), session, global
     * @param readWaitTimeout the longest a SESSION or GLOBAL read waits for this region's replica (default 5 s)
     * @param externalServer {@code host:port} of a PostgreSQL server this region uses instead of starting its own;
     *     its replication is set up by whoever runs it
     */
    public record SqlSettings(
            @JsonProperty(required = true) String primary,
            @JsonProperty(required = true) Integer serverPort,
            @JsonProperty(required = true) String superuser,
            @JsonProperty(required = true) String password,
            Integer endpointPort,
            String listenAddress,
            List<SqlUser> users,
            String readConsistency,
            Duration readWaitTimeout,
            String externalServer) {
        public SqlSettings {
            listenAddress = listenAddress == null ? "127.0.0.1" : listenAddress;
            users = users == null ? List.of() : List.copyOf(users);
            readConsistency = readConsistency == null ? "eventual" : readConsistency;
            readWaitTimeout = readWaitTimeout == null ? Duration.ofSeconds(5) : readWaitTimeout;
        }

        public SqlSettings(String primary, Integer serverPort, String superuser, String password) {
            this(primary, serverPort, superuser, password, null, null, null, null, null, null);
        }

        public SqlSettings withEndpointPort(int port) {
            return new SqlSettings(primary, serverPort, superuser, password, port, listenAddress, users,
                    readConsistency, readWaitTimeout, externalServer);
        }

        /** Every user clients may log in as, the superuser first, with passwords. */
        public Map<String, String> passwords() {
            var all = new LinkedHashMap<String, String>();
            all.put(superuser, password);
            users.forEach(user -> all.putIfAbsent(user.name(), user.password()));
            return all;
        }
    }

    /** A PostgreSQL user clients log in as through the endpoint. */
    public record SqlUser(@JsonProperty(required = true) String name, @JsonProperty(required = true) String password) {}

    /** One accepted credential pair. */
    public record AccessKey(
            @JsonProperty(required = true) String accessKeyId,
            @JsonProperty(required = true) String secretAccessKey) {}

    /**
     * Replication tuning.
     *
     * @param maxLogEntries the most change-log entries kept for peers that have not acknowledged them; a peer that
     *     falls further behind is re-synced from a snapshot
     * @param batchSize the most entries one replication message carries
     * @param heartbeatInterval how often an idle stream says it is alive
     * @param reconnectBackoffMax the longest wait between reconnect attempts to a peer
     * @param antiEntropyInterval how often this region compares its whole state with each peer's (Merkle digests)
     *     and pulls what differs (default 10 min; 0s turns the schedule off, {@code meridian repair} still works)
     */
    public record FabricSettings(Long maxLogEntries, Integer batchSize, Duration heartbeatInterval,
            Duration reconnectBackoffMax, Duration antiEntropyInterval) {
        public static final FabricSettings DEFAULTS = new FabricSettings(null, null, null, null, null);

        public FabricSettings(Long maxLogEntries, Integer batchSize, Duration heartbeatInterval,
                Duration reconnectBackoffMax) {
            this(maxLogEntries, batchSize, heartbeatInterval, reconnectBackoffMax, null);
        }

        public FabricSettings {
            maxLogEntries = maxLogEntries == null ? 5_000_000L : maxLogEntries;
            batchSize = batchSize == null ? 512 : batchSize;
            heartbeatInterval = heartbeatInterval == null ? Duration.ofMillis(500) : heartbeatInterval;
            reconnectBackoffMax = reconnectBackoffMax == null ? Duration.ofSeconds(5) : reconnectBackoffMax;
            antiEntropyInterval = antiEntropyInterval == null ? Duration.ofMinutes(10) : antiEntropyInterval;
        }
    }

    /**
     * How reads that ask for more than EVENTUAL consistency ({@code x-meridian-consistency}) wait.
     *
     * @param sessionWait the longest a SESSION request waits for this region to cover its token (default 5 s)
     * @param onSessionTimeout what a SESSION read does then: {@code read-through} (default) serves it from a peer
     *     region that covers the token; {@code error} answers a retryable 503. Writes always answer the 503.
     * @param globalPeerTimeout the longest a GLOBAL read waits for a peer to say its log head (default 1 s); a peer
     *     that has not answered by then counts as unreachable
     * @param globalWait the longest a GLOBAL read then waits to apply the peers' heads (default 5 s)
     * @param onUnreachable what a GLOBAL read does when a peer is unreachable: {@code name} (default) serves it
     *     and names the region in {@code x-meridian-unreachable}; {@code fail} answers a retryable 503
     */
    public record ConsistencySettings(Duration sessionWait, OnSessionTimeout onSessionTimeout, Duration globalPeerTimeout,
            Duration globalWait, OnUnreachable onUnreachable) {
        public static final ConsistencySettings DEFAULTS = new ConsistencySettings(null, null, null, null, null);

        public ConsistencySettings {
            sessionWait = sessionWait == null ? Duration.ofSeconds(5) : sessionWait;
            onSessionTimeout = onSessionTimeout == null ? OnSessionTimeout.READ_THROUGH : onSessionTimeout;
            globalPeerTimeout = globalPeerTimeout == null ? Duration.ofSeconds(1) : globalPeerTimeout;
            globalWait = globalWait == null ? Duration.ofSeconds(5) : globalWait;
            onUnreachable = onUnreachable == null ? OnUnreachable.NAME : onUnreachable;
        }

        public enum OnSessionTimeout {
            @JsonProperty("read-through") READ_THROUGH,
            @JsonProperty("error") ERROR
        }

        public enum OnUnreachable {
            @JsonProperty("name") NAME,
            @JsonProperty("fail") FAIL
        }
    }

    /** Checks what the YAML schema cannot, naming the field at fault. */
    public RegionConfig validate() {
        if (!REGION_NAME.matcher(region).matches()) {
            throw new ConfigException("region: '" + region + "' is not a region name (lowercase letters, digits, '-')");
        }
        checkPort("httpPort", httpPort);
        checkPort("peerPort", peerPort);
        var names = new HashSet<String>();
        for (int i = 0; i < peers.size(); i++) {
            Peer peer = peers.get(i);
            String field = "peers[" + i + "]";
            if (!REGION_NAME.matcher(peer.name()).matches()) {
                throw new ConfigException(field + ".name: '" + peer.name() + "' is not a region name");
            }
            if (peer.name().equals(region) || !names.add(peer.name())) {
                throw new ConfigException(field + ".name: '" + peer.name() + "' is this region or listed twice");
            }
            HostPort.parse(field + ".address", peer.address());
        }
        if (accessKeys.isEmpty()) {
            throw new ConfigException("accessKeys: at least one access key is needed to sign requests");
        }
        for (int i = 0; i < accessKeys.size(); i++) {
            AccessKey key = accessKeys.get(i);
            if (key.accessKeyId().isBlank() || key.secretAccessKey().isBlank()) {
                throw new ConfigException("accessKeys[" + i + "]: accessKeyId and secretAccessKey must not be empty");
            }
        }
        if (fabric.maxLogEntries() < 1) {
            throw new ConfigException("fabric.maxLogEntries: must be at least 1");
        }
        if (fabric.batchSize() < 1 || fabric.batchSize() > 10_000) {
            throw new ConfigException("fabric.batchSize: must be between 1 and 10000");
        }
        if (fabric.heartbeatInterval().isNegative() || fabric.heartbeatInterval().isZero()) {
            throw new ConfigException("fabric.heartbeatInterval: must be positive");
        }
        if (fabric.antiEntropyInterval().isNegative()) {
            throw new ConfigException("fabric.antiEntropyInterval: must be 0 (off) or positive");
        }
        checkPositive("consistency.sessionWait", consistency.sessionWait());
        checkPositive("consistency.globalPeerTimeout", consistency.globalPeerTimeout());
        checkPositive("consistency.globalWait", consistency.globalWait());
        if (sql != null) {
            validateSql();
        }
        if (control != null) {
            validateControl();
        }
        return this;
    }

    private void validateSql() {
        checkPort("sql.serverPort", sql.serverPort());
        if (sql.endpointPort() != null) {
            checkPort("sql.endpointPort", sql.endpointPort());
        }
        if (sql.superuser().isBlank() || sql.password().isBlank()) {
            throw new ConfigException("sql: superuser and password must not be empty");
        }
        for (int i = 0; i < sql.users().size(); i++) {
            SqlUser user = sql.users().get(i);
            if (!SQL_USER.matcher(user.name()).matches() || user.password().isEmpty()) {
                throw new ConfigException("sql.users[" + i + "]: '" + user.name() + "' needs a name of letters,"
                        + " digits and '_' (starting with a letter or '_') and a password");
            }
        }
        if (!List.of("eventual", "session", "global").contains(sql.readConsistency().toLowerCase(Locale.ROOT))) {
            throw new ConfigException("sql.readConsistency: '" + sql.readConsistency()
                    + "' is not one of eventual, session, global");
        }
        if (sql.readWaitTimeout().isNegative() || sql.readWaitTimeout().isZero()) {
            throw new ConfigException("sql.readWaitTimeout: must be positive");
        }
        if (sql.externalServer() != null) {
            HostPort.parse("sql.externalServer", sql.externalServer());
        }
        for (int i = 0; i < peers.size(); i++) {
            if (peers.get(i).sqlAddress() != null) {
                HostPort.parse("peers[" + i + "].sqlAddress", peers.get(i).sqlAddress());
            }
        }
        if (sql.primary().equals(region)) {
            return;
        }
        Peer primary = peer(sql.primary()).orElseThrow(() ->
                new ConfigException("sql.primary: '" + sql.primary() + "' is neither this region nor one of its peers"));
        if (primary.sqlAddress() == null) {
            throw new ConfigException("peers[" + peers.indexOf(primary) + "].sqlAddress: missing; this region's "
                    + "PostgreSQL streams from the primary " + sql.primary() + " and needs its server's address");
        }
    }

    private void validateControl() {
        checkPort("control.port", control.port());
        for (int i = 0; i < peers.size(); i++) {
            if (peers.get(i).controlAddress() == null) {
                throw new ConfigException("peers[" + i + "].controlAddress: missing; every region is a member of the"
                        + " control plane");
            }
            HostPort.parse("peers[" + i + "].controlAddress", peers.get(i).controlAddress());
        }
        if (control.witness() != null) {
            if (!REGION_NAME.matcher(control.witness().name()).matches() || peer(control.witness().name()).isPresent()
                    || control.witness().name().equals(region)) {
                throw new ConfigException("control.witness.name: '" + control.witness().name()
                        + "' must be a name like a region's, and not a region's");
            }
            HostPort.parse("control.witness.address", control.witness().address());
        }
        if (control.failoverTimeout().compareTo(control.heartbeatInterval().multipliedBy(4)) < 0) {
            throw new ConfigException("control.failoverTimeout: must be at least 4 heartbeat intervals");
        }
    }

    private static void checkPositive(String field, Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new ConfigException(field + ": must be positive");
        }
    }

    private static void checkPort(String field, int port) {
        if (port < 0 || port > 65535) {
            throw new ConfigException(field + ": " + port + " is not a TCP port (1-65535, or 0 for any free port)");
        }
    }
}
