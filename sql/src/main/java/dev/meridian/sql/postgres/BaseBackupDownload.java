package dev.meridian.sql.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clones a secondary's data directory from its primary's region: fetches the {@link BaseBackupService} stream and
 * unpacks it, logging progress every few seconds. The clone is whole only if the stream ended with
 * {@code backup_label}; anything shorter fails, and the next attempt starts over.
 */
public final class BaseBackupDownload {
    private static final Logger log = LoggerFactory.getLogger(BaseBackupDownload.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private BaseBackupDownload() {}

    /** Replaces {@code standby}'s data directory with a clone fetched from {@code service} through slot {@code slot}. */
    public static void into(URI service, String slot, PostgresServer.Settings standby) {
        long started = System.nanoTime();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(service + "?slot=" + slot)).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("the primary refused the clone (HTTP " + response.statusCode() + "): "
                            + new String(body.readNBytes(1000), StandardCharsets.UTF_8).strip());
                }
                // Unpacked beside the data directory and moved into place whole, so a clone cut short by a crash is
                // never taken for a data directory.
                Path staging = standby.data().resolveSibling(standby.data().getFileName() + ".clone");
                long bytes = unpack(body, new DirectorySink(staging));
                PostgresBinaries.deleteTree(standby.data());
                Files.move(staging, standby.data(), StandardCopyOption.ATOMIC_MOVE);
                log.info("event=postgres_clone_done from={} slot={} bytes={} ms={}", service, slot, bytes,
                        (System.nanoTime() - started) / 1_000_000);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cloning from " + service + " failed: " + e.getMessage()
                    + " (the next attempt starts over)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while cloning from " + service, e);
        }
    }

    private static long unpack(InputStream body, DirectorySink sink) throws IOException {
        long bytes = 0;
        long files = 0;
        long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
        boolean labelled = false;
        try (var tar = new TarArchiveInputStream(body)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName().replaceAll("/$", "");
                if (entry.isDirectory()) {
                    sink.directory(name);
                    continue;
                }
                sink.file(name, tar);
                bytes += entry.getSize();
                files++;
                labelled = name.equals(BaseBackup.LABEL);
                if (System.nanoTime() > nextProgress) {
                    log.info("event=postgres_clone_progress files={} bytes={}", files, bytes);
                    nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
                }
            }
        }
        if (!labelled) {
            throw new IOException("the stream ended before the backup label: the primary's backup did not finish");
        }
        return bytes;
    }
}
