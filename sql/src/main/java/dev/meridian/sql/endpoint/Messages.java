package dev.meridian.sql.endpoint;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The messages the endpoint writes itself, built the way a PostgreSQL server or client writes them. */
final class Messages {
    static final byte QUERY = 'Q';
    static final byte PARSE = 'P';
    static final byte BIND = 'B';
    static final byte DESCRIBE = 'D';
    static final byte EXECUTE = 'E';
    static final byte CLOSE = 'C';
    static final byte SYNC = 'S';
    static final byte FLUSH = 'H';
    static final byte TERMINATE = 'X';
    static final byte FUNCTION_CALL = 'F';
    static final byte COPY_DATA = 'd';
    static final byte COPY_DONE = 'c';
    static final byte COPY_FAIL = 'f';
    static final byte PASSWORD = 'p';

    static final byte AUTHENTICATION = 'R';
    static final byte ERROR_RESPONSE = 'E';
    static final byte READY_FOR_QUERY = 'Z';
    static final byte PARAMETER_STATUS = 'S';
    static final byte BACKEND_KEY_DATA = 'K';
    static final byte DATA_ROW = 'D';
    static final byte COMMAND_COMPLETE = 'C';
    static final byte EMPTY_QUERY = 'I';
    static final byte PORTAL_SUSPENDED = 's';
    static final byte COPY_IN_RESPONSE = 'G';

    private Messages() {}

    static PgMessage query(String sql) {
        return new PgMessage(QUERY, cstrings(sql));
    }

    static PgMessage sync() {
        return new PgMessage(SYNC, new byte[0]);
    }

    static PgMessage terminate() {
        return new PgMessage(TERMINATE, new byte[0]);
    }

    /** An ErrorResponse with the fields psql and pgjdbc show: severity, SQLSTATE, message and, if any, a hint. */
    static PgMessage error(String severity, String sqlState, String message, String hint) {
        var out = new ByteArrayOutputStream();
        field(out, 'S', severity);
        field(out, 'V', severity);
        field(out, 'C', sqlState);
        field(out, 'M', message);
        if (hint != null) {
            field(out, 'H', hint);
        }
        out.write(0);
        return new PgMessage(ERROR_RESPONSE, out.toByteArray());
    }

    static PgMessage readyForQuery(byte transactionStatus) {
        return new PgMessage(READY_FOR_QUERY, new byte[] {transactionStatus});
    }

    static PgMessage backendKeyData(int processId, int secret) {
        return new PgMessage(BACKEND_KEY_DATA, ByteBuffer.allocate(8).putInt(processId).putInt(secret).array());
    }

    /** An Authentication message: the request code and what follows it. */
    static PgMessage authentication(int code, byte[] data) {
        return new PgMessage(AUTHENTICATION, ByteBuffer.allocate(4 + data.length).putInt(code).put(data).array());
    }

    /** A client's SASLInitialResponse ({@code initial}) or SASLResponse. */
    static PgMessage saslInitialResponse(String mechanism, byte[] data) {
        byte[] name = cstrings(mechanism);
        return new PgMessage(PASSWORD, ByteBuffer.allocate(name.length + 4 + data.length)
                .put(name).putInt(data.length).put(data).array());
    }

    static PgMessage saslResponse(byte[] data) {
        return new PgMessage(PASSWORD, data);
    }

    /** The error field with code {@code code} ('C' SQLSTATE, 'M' message, ...) of an ErrorResponse, or null. */
    static String errorField(PgMessage error, char code) {
        byte[] body = error.body();
        int i = 0;
        while (i < body.length && body[i] != 0) {
            byte field = body[i];
            int end = i + 1;
            while (end < body.length && body[end] != 0) {
                end++;
            }
            if (field == code) {
                return new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
            }
            i = end + 1;
        }
        return null;
    }

    static byte[] cstrings(String... values) {
        var out = new ByteArrayOutputStream();
        for (String value : values) {
            out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, char code, String value) {
        out.write(code);
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }
}
