package dev.meridian.sql.endpoint;

import dev.meridian.core.HostPort;
import java.util.Optional;

/** Where a region's endpoint finds PostgreSQL: its own server and the primary's. Changes when the primary moves. */
public interface ServerRoutes {
    /** This region's own server, once it is running. */
    Optional<HostPort> local();

    /** True when this region's own server is the read-write primary. */
    boolean localIsPrimary();

    /** The primary's server as this region reaches it (through the WAN link); in the primary region, its own. */
    HostPort primary();
}
