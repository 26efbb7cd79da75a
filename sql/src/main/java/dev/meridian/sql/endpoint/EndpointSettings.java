package dev.meridian.sql.endpoint;

import java.time.Duration;
import java.util.Map;

/**
 * How a region's PostgreSQL-protocol endpoint runs.
 *
 * @param host the address it listens on
 * @param port its port
 * @param users the users clients log in as, by name, with their passwords (the same users exist in PostgreSQL)
 * @param superuser the user the endpoint itself reads WAL positions as
 * @param defaultConsistency {@code meridian.read_consistency} of a new session
 * @param readWaitTimeout the longest a SESSION or GLOBAL read waits for this region's replica
 * @param maxMessageBytes the largest protocol message a client may send
 * @param maxConnections the most client sessions at once
 */
public record EndpointSettings(String host, int port, Map<String, String> users, String superuser,
        ReadConsistency defaultConsistency, Duration readWaitTimeout, int maxMessageBytes, int maxConnections) {
    public EndpointSettings {
        users = Map.copyOf(users);
        if (!users.containsKey(superuser)) {
            throw new IllegalArgumentException("the superuser " + superuser + " has no password among the users");
        }
    }
}
