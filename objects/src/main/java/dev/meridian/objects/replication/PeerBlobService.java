package dev.meridian.objects.replication;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.objects.blob.BlobStore;
import dev.meridian.objects.blob.BlobStreams;
import dev.meridian.objects.s3.ByteRange;
import dev.meridian.objects.s3.S3Exception;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET <prefix><blobId>} on the peer port: a blob's bytes (all, or one {@code Range: bytes=a-b}) for another
 * region. Bytes this region lacks are fetched from a region that holds them and streamed through, unless the request
 * is itself such a relay; 404 when nobody can serve them.
 */
final class PeerBlobService implements HttpService {
    /** The region asking; a relay never asks it back. */
    static final String REQUESTER = "x-meridian-requester";
    /** The region that wrote the blob: where a relay looks first. */
    static final String ORIGIN = "x-meridian-origin";
    /** On a request, set when it is itself a relay: answer from local bytes only, so relays never chain or loop. */
    static final String RELAYED = "x-meridian-relayed";
    /** The whole blob's size: on a request the size the asker expects, on an answer the size served from. */
    static final String BLOB_SIZE = "x-meridian-blob-size";

    private final BlobStore blobs;
    private final BlobSources sources;

    PeerBlobService(BlobStore blobs, BlobSources sources) {
        this.blobs = blobs;
        this.sources = sources;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        if (req.method() != HttpMethod.GET) {
            return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED);
        }
        RequestHeaders headers = req.headers();
        String blobId = ctx.path().substring(ObjectReplication.PEER_PATH_PREFIX.length());
        Optional<Path> local;
        try {
            local = blobs.find(blobId);
        } catch (IllegalArgumentException e) {
            return HttpResponse.of(HttpStatus.BAD_REQUEST);
        }
        if (local.isPresent()) {
            Path file = local.get();
            String range = headers.get(HttpHeaderNames.RANGE);
            return HttpResponse.of(CompletableFuture.supplyAsync(() -> serveLocal(file, range),
                    ctx.blockingTaskExecutor()));
        }
        try {
            long size = headers.getLong(BLOB_SIZE, -1);
            String origin = headers.get(ORIGIN);
            if (headers.contains(RELAYED) || size < 0 || origin == null) {
                return HttpResponse.of(HttpStatus.NOT_FOUND);
            }
            var request = new BlobRequest(blobId, size, ByteRange.parse(headers.get(HttpHeaderNames.RANGE), size), origin);
            return HttpResponse.of(sources.relay(request, headers.get(REQUESTER, "")).handle((fetched, error) ->
                    error != null ? HttpResponse.of(HttpStatus.NOT_FOUND)
                            : HttpResponse.of(passOn(fetched.headers()), fetched.body())));
        } catch (S3Exception unsatisfiable) {
            return HttpResponse.of(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
        }
    }

    /** Runs where it may block: it reads small blobs whole before answering. */
    private static HttpResponse serveLocal(Path file, String rangeHeader) {
        try {
            long size = Files.size(file);
            Optional<ByteRange> range = ByteRange.parse(rangeHeader, size);
            long offset = range.map(ByteRange::first).orElse(0L);
            long length = range.map(ByteRange::length).orElse(size);
            HttpStatus status = range.isPresent() ? HttpStatus.PARTIAL_CONTENT : HttpStatus.OK;
            ResponseHeadersBuilder headers = ResponseHeaders.builder(status)
                    .set(BLOB_SIZE, Long.toString(size))
                    .contentLength(length);
            range.ifPresent(r -> headers.set(HttpHeaderNames.CONTENT_RANGE, r.contentRange(size)));
            // An empty file has no range to stream (Armeria refuses a zero length).
            return length == 0 ? HttpResponse.of(headers.build())
                    : HttpResponse.of(headers.build(), BlobStreams.rangeBlocking(file, offset, length));
        } catch (IOException | UncheckedIOException collectedSinceFound) {
            return HttpResponse.of(HttpStatus.NOT_FOUND);
        } catch (S3Exception unsatisfiable) {
            return HttpResponse.of(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
        }
    }

    /** The headers of a relayed answer: those of the holder's answer that describe the bytes. */
    private static ResponseHeaders passOn(ResponseHeaders holder) {
        ResponseHeadersBuilder headers = ResponseHeaders.builder(holder.status())
                .set(BLOB_SIZE, holder.get(BLOB_SIZE, "-1"))
                .contentLength(holder.contentLength());
        String contentRange = holder.get(HttpHeaderNames.CONTENT_RANGE);
        if (contentRange != null) {
            headers.set(HttpHeaderNames.CONTENT_RANGE, contentRange);
        }
        return headers.build();
    }
}
