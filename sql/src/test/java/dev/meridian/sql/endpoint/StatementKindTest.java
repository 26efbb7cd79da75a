package dev.meridian.sql.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the endpoint routes SQL it has not seen: read-only work to a standby, anything else to the primary. */
class StatementKindTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "SELECT * FROM t | READ",
        "-- a comment\\n /* nested /* comment */ */ select 1 | READ",
        "(SELECT 1) UNION (SELECT 2) | READ",
        "SELECT 'INSERT INTO t' AS text | READ",
        "SELECT $$DELETE FROM t$$ | READ",
        "WITH x AS (SELECT 1) SELECT * FROM x | READ",
        "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x | WRITE",
        "SELECT * FROM t FOR UPDATE | WRITE",
        "SELECT * FROM t FOR NO KEY UPDATE | WRITE",
        "SELECT nextval('s') | WRITE",
        "SELECT * INTO copy FROM t | WRITE",
        "SELECT * FROM meridian.global_db_status() | WRITE",
        "SHOW server_version | READ",
        "EXPLAIN SELECT 1 | READ",
        "EXPLAIN ANALYZE DELETE FROM t | WRITE",
        "EXPLAIN (ANALYZE, BUFFERS) SELECT 1 | READ",
        "INSERT INTO t VALUES (1) | WRITE",
        "update t set a = 1 | WRITE",
        "CREATE TABLE t (id int) | WRITE",
        "COPY t FROM STDIN | WRITE",
        "COPY t TO STDOUT | READ",
        "COPY (SELECT 1) TO STDOUT | READ",
        "BEGIN | TRANSACTION",
        "BEGIN READ WRITE | WRITE",
        "START TRANSACTION READ ONLY | TRANSACTION",
        "COMMIT | TRANSACTION",
        "SET search_path = app | SETTING",
        "SET LOCAL statement_timeout = 5 | TRANSACTION",
        "SET TRANSACTION READ WRITE | WRITE",
        "RESET ALL | SETTING",
        "BEGIN; INSERT INTO t VALUES (1); COMMIT | WRITE",
        "BEGIN; SELECT 1; COMMIT | READ",
        "CALL do_things() | WRITE",
        "LISTEN channel | WRITE",
        "VACUUM t | WRITE",
        "'; DROP TABLE t; -- | WRITE",
    })
    void routesByWhatTheStatementDoes(String sql, StatementKind expected) {
        assertThat(StatementKind.of(sql.replace("\\n", "\n"))).isEqualTo(expected);
    }

    @Test
    void findsTheReadConsistencySettingHoweverItIsWritten() {
        String name = ReadConsistency.PARAMETER;
        assertThat(StatementKind.readConsistencySetting("SET meridian.read_consistency = 'session'", name))
                .contains("session");
        assertThat(StatementKind.readConsistencySetting("set SESSION Meridian.Read_Consistency to global", name))
                .contains("GLOBAL");
        assertThat(StatementKind.readConsistencySetting("RESET meridian.read_consistency", name)).contains("DEFAULT");
        assertThat(StatementKind.readConsistencySetting("SET search_path = x", name)).isEqualTo(Optional.empty());
        assertThat(StatementKind.readConsistencySetting("SELECT 'SET meridian.read_consistency = 1'", name)).isEmpty();
    }

    @Test
    void knowsWhichStatementsMakeTemporaryObjects() {
        assertThat(StatementKind.createsTemporaryObject("CREATE TEMP TABLE x (id int)")).isTrue();
        assertThat(StatementKind.createsTemporaryObject("create local temporary table x (id int)")).isTrue();
        assertThat(StatementKind.createsTemporaryObject("CREATE TABLE x (id int)")).isFalse();
    }
}
