package dev.meridian.sql;

import dev.meridian.sql.postgres.WalPositions;
import dev.meridian.sql.postgres.WalPositions.StandbyLag;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's view of its standbys' lag ({@code pg_stat_replication}), read from PostgreSQL at most once a
 * second however often metrics and status ask. A standby that is not connected is absent.
 */
final class StandbyLagMonitor {
    private static final Logger log = LoggerFactory.getLogger(StandbyLagMonitor.class);
    private static final Duration FRESH_FOR = Duration.ofSeconds(1);

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Clock clock;
    private Map<String, StandbyLag> last = Map.of();
    private boolean read;
    private long readAtMillis;
    private boolean failing;

    StandbyLagMonitor(String jdbcUrl, String user, String password, Clock clock) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.clock = clock;
    }

    /** Each connected standby by replication slot name. */
    synchronized Map<String, StandbyLag> current() {
        long now = clock.millis();
        if (read && now - readAtMillis < FRESH_FOR.toMillis()) {
            return last;
        }
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
            last = Map.copyOf(WalPositions.lagByStandby(db));
            failing = false;
        } catch (SQLException e) {
            if (!failing) { // the first failure of a run is news, the repeats are not
                log.warn("event=sql_lag_unreadable error=\"{}\"", e.getMessage());
            }
            failing = true;
            last = Map.of();
        }
        read = true;
        readAtMillis = now;
        return last;
    }
}
