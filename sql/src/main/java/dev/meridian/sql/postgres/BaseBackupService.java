package dev.meridian.sql.postgres;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a base backup of the primary as a tar stream ({@code GET <path>?slot=<name>}), for a secondary region to
 * clone itself from ({@link BaseBackupDownload}). The backup is taken while the response streams, at the reader's
 * pace; {@code backup_label} is its last entry. Meant for the regions' peer port, which only peers reach.
 */
public final class BaseBackupService implements HttpService {
    private static final Logger log = LoggerFactory.getLogger(BaseBackupService.class);
    /** PostgreSQL's rule for replication slot names. */
    private static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");
    private static final MediaType TAR = MediaType.parse("application/x-tar");

    private final Supplier<Optional<PostgresServer>> primary;

    /** Serves backups of {@code primary}'s server while it supplies one: while this region is the SQL primary. */
    public BaseBackupService(Supplier<Optional<PostgresServer>> primary) {
        this.primary = primary;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        String slot = ctx.queryParam("slot");
        if (slot == null || !SLOT.matcher(slot).matches()) {
            return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8,
                    "slot must be 1 to 63 of a-z, 0-9 and _\n");
        }
        Optional<PostgresServer> server = primary.get();
        if (server.isEmpty()) {
            return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8,
                    "this region is not serving as the SQL primary; clone from the current primary's region\n");
        }
        ctx.clearRequestTimeout(); // a clone takes as long as the data and the link need
        log.info("event=postgres_backup_requested slot={} by={}", slot, ctx.remoteAddress());
        var tar = StreamMessage.fromOutputStream(out -> {
            try (TarSink sink = new TarSink(out)) {
                BaseBackup.stream(server.get(), slot, sink);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, ctx.blockingTaskExecutor());
        return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, "content-type", TAR.toString()), tar);
    }
}
