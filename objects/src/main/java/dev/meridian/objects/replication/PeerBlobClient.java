package dev.meridian.objects.replication;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ClientRequestContext;
import com.linecorp.armeria.client.ClientRequestContextCaptor;
import com.linecorp.armeria.client.Clients;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.SplitHttpResponse;
import com.linecorp.armeria.common.util.TimeoutMode;
import dev.meridian.core.RegionConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/** Asks peer regions' blob services for bytes, one source after another until one serves them. */
final class PeerBlobClient implements AutoCloseable {
    /** Short, so a cut link fails over to the next source quickly. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** How long a source may take to start answering (a relay tries its own sources first). */
    private static final Duration FIRST_BYTE_TIMEOUT = Duration.ofSeconds(10);
    /** How long a stream may deliver nothing before it is given up: a black-holed link never closes by itself. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);
    /**
     * HTTP/2 flow-control windows for the bytes peers send: all copies from one peer share a connection, which
     * carries at most one connection window per round trip. Armeria's default 1 MiB would hold a peer 220 ms away
     * to under 5 MiB/s whatever the link; 16 MiB allows about 70 MiB/s there, and bounds what a slow reader leaves
     * buffered per peer.
     */
    private static final int CONNECTION_WINDOW = 16 << 20;
    private static final int STREAM_WINDOW = 4 << 20;

    private final String region;
    private final ClientFactory factory;
    private final Map<String, WebClient> peers;

    PeerBlobClient(RegionConfig config) {
        this.region = config.region();
        this.factory = ClientFactory.builder()
                .connectTimeout(CONNECT_TIMEOUT)
                .http2InitialConnectionWindowSize(CONNECTION_WINDOW)
                .http2InitialStreamWindowSize(STREAM_WINDOW)
                .build();
        this.peers = config.peers().stream().collect(Collectors.toUnmodifiableMap(RegionConfig.Peer::name,
                peer -> WebClient.builder("http://" + peer.address())
                        .factory(factory)
                        .responseTimeout(FIRST_BYTE_TIMEOUT)
                        .maxResponseLength(0)
                        .build()));
    }

    /**
     * A region to ask: when {@code mayRelay}, one that lacks the bytes fetches them from a region that has them and
     * streams them through; otherwise it answers only from its own blob store.
     */
    record Source(String region, boolean mayRelay) {}

    /** The answer of the first of {@code sources} that serves the request; fails when none does. */
    CompletableFuture<FetchedBlob> first(List<Source> sources, BlobRequest request) {
        return first(sources, 0, request, new ArrayList<>());
    }

    private CompletableFuture<FetchedBlob> first(List<Source> sources, int next, BlobRequest request,
            List<String> refusals) {
        if (next == sources.size()) {
            return CompletableFuture.failedFuture(new BlobUnavailableException(request.blobId(), refusals));
        }
        Source source = sources.get(next);
        return fetch(source, request).exceptionallyCompose(error -> {
            refusals.add(source.region() + ": " + reason(error));
            return first(sources, next + 1, request, refusals);
        });
    }

    private CompletableFuture<FetchedBlob> fetch(Source source, BlobRequest request) {
        WebClient client = peers.get(source.region());
        if (client == null) {
            return CompletableFuture.failedFuture(new IOException("not a peer of " + region));
        }
        RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.GET,
                        ObjectReplication.PEER_PATH_PREFIX + request.blobId())
                .set(PeerBlobService.REQUESTER, region)
                .set(PeerBlobService.ORIGIN, request.origin())
                .set(PeerBlobService.BLOB_SIZE, Long.toString(request.size()));
        request.range().ifPresent(r -> headers.set(HttpHeaderNames.RANGE, "bytes=" + r.first() + "-" + r.last()));
        if (!source.mayRelay()) {
            headers.set(PeerBlobService.RELAYED, "true");
        }
        HttpResponse response;
        ClientRequestContext ctx;
        try (ClientRequestContextCaptor captor = Clients.newContextCaptor()) {
            response = client.execute(headers.build());
            ctx = captor.get();
        }
        SplitHttpResponse split = response.split();
        return split.headers().thenApply(answer -> {
            long size = answer.getLong(PeerBlobService.BLOB_SIZE, -1);
            boolean served = answer.status().equals(HttpStatus.OK)
                    || answer.status().equals(HttpStatus.PARTIAL_CONTENT);
            if (!served || size != request.size()) {
                split.body().abort();
                throw new CompletionException(new IOException(served
                        ? "holds " + size + " bytes, not " + request.size() : "answered " + answer.status()));
            }
            var stall = new StallTimeout(ctx);
            return new FetchedBlob(source.region(), answer, split.body().peek(data -> stall.progressed()));
        });
    }

    private static String reason(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof UnprocessedRequestException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    @Override
    public void close() {
        factory.close();
    }

    /** Keeps a streaming answer alive while bytes keep coming, pushing its timeout back at most once a second. */
    private static final class StallTimeout {
        private static final long EXTEND_EVERY_NANOS = 1_000_000_000L;
        private final ClientRequestContext ctx;
        private volatile long extendedNanos;

        StallTimeout(ClientRequestContext ctx) {
            this.ctx = ctx;
            extend();
        }

        void progressed() {
            if (System.nanoTime() - extendedNanos > EXTEND_EVERY_NANOS) {
                extend();
            }
        }

        private void extend() {
            extendedNanos = System.nanoTime();
            ctx.setResponseTimeout(TimeoutMode.SET_FROM_NOW, STALL_TIMEOUT);
        }
    }
}
