package dev.meridian.sql.postgres;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A clone that did not arrive whole, or tries to write outside the data directory, is refused. */
class BaseBackupDownloadTest {
    @TempDir
    Path dir;

    @Test
    void aStreamWithoutTheBackupLabelIsNotAClone() throws Exception {
        var tar = new ByteArrayOutputStream();
        try (var sink = new TarSink(tar)) {
            sink.directory("base");
            sink.file("PG_VERSION", "16\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> download(tar.toByteArray()))
                .hasMessageContaining("ended before the backup label");
    }

    @Test
    void anEntryOutsideTheDataDirectoryIsRefused() throws Exception {
        var tar = new ByteArrayOutputStream();
        try (var sink = new TarSink(tar)) {
            sink.file("../escaped", "x".getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> download(tar.toByteArray()))
                .hasMessageContaining("outside the data directory");
    }

    private void download(byte[] tar) {
        Server server = Server.builder().http(0)
                .service("/sql/base-backup", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.OCTET_STREAM, tar))
                .build();
        server.start().join();
        try {
            BaseBackupDownload.into(URI.create("http://127.0.0.1:" + server.activeLocalPort() + "/sql/base-backup"),
                    "us_east_1", LocalPostgres.settings(dir.resolve("standby")));
        } finally {
            server.stop().join();
        }
    }
}
