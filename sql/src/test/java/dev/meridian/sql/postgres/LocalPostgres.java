package dev.meridian.sql.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/** Settings for test servers on 127.0.0.1: a free port each, one superuser and password for all. */
final class LocalPostgres {
    static final String USER = "meridian";
    static final String PASSWORD = "meridian-local-secret";

    private LocalPostgres() {}

    static PostgresServer.Settings settings(Path dir) {
        return new PostgresServer.Settings(dir, "127.0.0.1", freePort(), USER, PASSWORD);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
