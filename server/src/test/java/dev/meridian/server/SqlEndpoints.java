package dev.meridian.server;

import dev.meridian.testkit.LocalCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/** pgjdbc connections to a local cluster's SQL endpoints, as a user of Meridian makes them. */
final class SqlEndpoints {
    private SqlEndpoints() {}

    /** A connection to {@code region}'s endpoint with {@code meridian.read_consistency} set at startup. */
    static Connection connect(LocalCluster cluster, String region, String consistency) throws SQLException {
        var sql = cluster.config(region).sqlSettings().orElseThrow();
        var properties = new Properties();
        properties.setProperty("user", sql.superuser());
        properties.setProperty("password", sql.password());
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "30");
        properties.setProperty("options", "-c meridian.read_consistency=" + consistency);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + sql.endpointPort() + "/postgres",
                properties);
    }

    /** The single number {@code sql} answers. */
    static long count(Connection db, String sql) throws SQLException {
        try (ResultSet rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
