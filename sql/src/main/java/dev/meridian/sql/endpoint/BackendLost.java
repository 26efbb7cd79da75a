package dev.meridian.sql.endpoint;

import java.io.IOException;

/** A server connection broke while a session was using it; the session ends, as it would on a direct connection. */
final class BackendLost extends IOException {
    BackendLost(String message, Throwable cause) {
        super(message, cause);
    }
}
