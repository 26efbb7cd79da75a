package dev.meridian.sql.endpoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One message of the PostgreSQL wire protocol (version 3): its type byte and its body (without the length word).
 * The bytes are kept as received, so the endpoint relays what it does not need to understand unchanged.
 */
record PgMessage(byte type, byte[] body) {

    /** The NUL-terminated string at {@code offset} (a Query's SQL, a Parse's statement name, ...). */
    String cstring(int offset) {
        return new String(body, offset, skipCstring(offset) - 1 - offset, StandardCharsets.UTF_8);
    }

    /** The offset just past the NUL-terminated string at {@code offset}. */
    int skipCstring(int offset) {
        int end = offset;
        while (end < body.length && body[end] != 0) {
            end++;
        }
        if (end >= body.length) {
            throw new ProtocolException("08P01", "invalid string in message");
        }
        return end + 1;
    }

    int int32(int offset) {
        if (offset + 4 > body.length) {
            throw new ProtocolException("08P01", "insufficient data left in message");
        }
        return ByteBuffer.wrap(body, offset, 4).getInt();
    }

    /** The whole message as sent on the wire: type, length, body. */
    byte[] encode() {
        return ByteBuffer.allocate(5 + body.length).put(type).putInt(4 + body.length).put(body).array();
    }

    @Override
    public String toString() {
        return "'" + (char) type + "' (" + body.length + " bytes)";
    }
}
