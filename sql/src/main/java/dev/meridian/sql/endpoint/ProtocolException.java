package dev.meridian.sql.endpoint;

/**
 * Input the endpoint cannot accept, with the SQLSTATE PostgreSQL itself gives for it. The session answers with a
 * FATAL ErrorResponse and closes, as a PostgreSQL backend does on a protocol violation.
 */
final class ProtocolException extends RuntimeException {
    private final String sqlState;

    ProtocolException(String sqlState, String message) {
        super(message);
        this.sqlState = sqlState;
    }

    String sqlState() {
        return sqlState;
    }
}
