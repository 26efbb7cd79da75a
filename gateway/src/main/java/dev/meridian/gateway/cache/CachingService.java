package dev.meridian.gateway.cache;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.SplitHttpResponse;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import io.netty.util.AsciiString;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The cache in front of the origin service: answers GET and HEAD from stored copies, fills and revalidates
 * them with at most one origin request per key at a time, and passes every other method straight through.
 */
final class CachingService extends SimpleDecoratingHttpService {
    /** The client's own preconditions, replaced by the cache's when it fills or revalidates. */
    private static final List<AsciiString> CONDITIONALS = List.of(HttpHeaderNames.IF_NONE_MATCH,
            HttpHeaderNames.IF_MODIFIED_SINCE, HttpHeaderNames.IF_MATCH, HttpHeaderNames.IF_UNMODIFIED_SINCE,
            HttpHeaderNames.IF_RANGE);

    /** Marks the end of an origin body in the recording stream (compared by identity). */
    private static final HttpData END_OF_BODY = HttpData.wrap(new byte[0]);

    /** What a fetch leaves for the requests that waited on it. */
    record Shared(CachedResponse response, CacheResult result) {}

    private final TieredStore store;
    private final StorePolicy policy;
    private final CacheMetrics metrics;
    private final Clock clock;
    private final Duration maxStale;
    /** The fetch under way for each key; requests for the key wait on it rather than asking the origin too. */
    private final ConcurrentMap<CacheKey, CompletableFuture<Optional<Shared>>> inFlight = new ConcurrentHashMap<>();

    CachingService(HttpService origin, TieredStore store, StorePolicy policy, CacheMetrics metrics, Clock clock,
            Duration maxStale) {
        super(origin);
        this.store = store;
        this.policy = policy;
        this.metrics = metrics;
        this.clock = clock;
        this.maxStale = maxStale;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
        RequestHeaders headers = req.headers();
        if (headers.method() != HttpMethod.GET && headers.method() != HttpMethod.HEAD) {
            return unwrap().serve(ctx, req);
        }
        CacheControl directives = CacheControl.of(headers);
        if (directives.has("no-store")) {
            return forward(ctx, req, CacheResult.BYPASS);
        }
        CacheKey key = store.keyFor(headers);
        long now = clock.millis();
        Optional<CachedResponse> stored = store.lookup(key);
        if (stored.isPresent() && stored.get().freshness().satisfies(directives, now)) {
            Optional<HttpResponse> hit = reply(stored.get(), headers, CacheResult.HIT, now);
            if (hit.isPresent()) {
                return hit.get();
            }
            stored = Optional.empty();
        }
        CompletableFuture<Optional<Shared>> pending = inFlight.get(key);
        if (pending == null && canFill(headers, stored)) {
            CompletableFuture<Optional<Shared>> mine = new CompletableFuture<>();
            pending = inFlight.putIfAbsent(key, mine);
            if (pending == null) {
                mine.whenComplete((outcome, error) -> inFlight.remove(key, mine));
                return new OriginFetch(ctx, req, key, stored, mine).start();
            }
        }
        return pending != null ? await(ctx, req, pending) : forward(ctx, req, CacheResult.MISS);
    }

    /**
     * Whether the request's own response can fill the cache: a GET for the whole body, with no preconditions
     * of its own unless it revalidates a stored copy (then the cache's validators replace them). The others
     * (HEAD, Range, conditional misses) go to the origin unchanged when nobody is filling their key.
     */
    private static boolean canFill(RequestHeaders headers, Optional<CachedResponse> stored) {
        return headers.method() == HttpMethod.GET && !headers.contains(HttpHeaderNames.RANGE)
                && (stored.isPresent() || CONDITIONALS.stream().noneMatch(headers::contains));
    }

    /**
     * Answers from the fetch another request is making; if that yields nothing storable, asks the origin itself.
     * A fill that received its response before this request came (its client already has the body while the
     * copy is being committed) may be too old for it: then the request starts over against the stored copy.
     */
    private HttpResponse await(ServiceRequestContext ctx, HttpRequest req, CompletableFuture<Optional<Shared>> pending) {
        metrics.collapsedWaiter();
        long askedMillis = clock.millis();
        // Back on the request's event loop: the outcome completes on whichever thread finished the fetch.
        return HttpResponse.of(pending.thenApplyAsync(outcome -> {
            if (outcome.isEmpty() || !isSameVariant(outcome.get().response(), req.headers())) {
                return forward(ctx, req, CacheResult.MISS);
            }
            Shared shared = outcome.get();
            if (shared.result() != CacheResult.STALE && shared.response().freshness().responseMillis() < askedMillis) {
                return serveAgain(ctx, req);
            }
            return reply(shared.response(), req.headers(), shared.result(), clock.millis())
                    .orElseGet(() -> forward(ctx, req, CacheResult.MISS));
        }, ctx.eventLoop()));
    }

    private HttpResponse serveAgain(ServiceRequestContext ctx, HttpRequest req) {
        try {
            return serve(ctx, req);
        } catch (Exception e) {
            return HttpResponse.ofFailure(e);
        }
    }

    /** The fetch's response varies on headers the waiter may have sent other values of. */
    private static boolean isSameVariant(CachedResponse response, RequestHeaders request) {
        return CacheKey.of(request, CachedResponse.varyNames(response.headers())).equals(response.key());
    }

    private Optional<HttpResponse> reply(CachedResponse stored, RequestHeaders request, CacheResult result, long now) {
        Optional<HttpResponse> reply = CachedReply.of(stored, request, result, now);
        reply.ifPresent(ignored -> metrics.request(result));
        return reply;
    }

    /** Sends the request to the origin as it is and stores nothing. */
    private HttpResponse forward(ServiceRequestContext ctx, HttpRequest req, CacheResult result) {
        metrics.request(result);
        return callOrigin(ctx, req)
                .mapHeaders(headers -> withXCache(headers, headers.status().isServerError() ? CacheResult.ORIGIN_ERROR : result))
                .recover(unreachable -> badGateway());
    }

    /** What the client gets when the origin cannot be reached at all, as CloudFront answers it. */
    private static HttpResponse badGateway() {
        return HttpResponse.of(ResponseHeaders.builder(HttpStatus.BAD_GATEWAY)
                .set(CachedReply.X_CACHE, CacheResult.ORIGIN_ERROR.header())
                .build());
    }

    private HttpResponse callOrigin(ServiceRequestContext ctx, HttpRequest req) {
        try {
            return unwrap().serve(ctx, req);
        } catch (Exception e) {
            return HttpResponse.ofFailure(e);
        }
    }

    private static ResponseHeaders withXCache(ResponseHeaders headers, CacheResult result) {
        return headers.toBuilder().set(CachedReply.X_CACHE, result.header()).build();
    }

    /** One origin request that fills or revalidates a key, answering its own client and then the waiters. */
    private final class OriginFetch {
        private final ServiceRequestContext ctx;
        private final HttpRequest req;
        private final CacheKey key;
        private final Optional<CachedResponse> stored;
        private final CompletableFuture<Optional<Shared>> outcome;
        private final long generation = store.generation();
        private long requestMillis;

        OriginFetch(ServiceRequestContext ctx, HttpRequest req, CacheKey key, Optional<CachedResponse> stored,
                CompletableFuture<Optional<Shared>> outcome) {
            this.ctx = ctx;
            this.req = req;
            this.key = key;
            this.stored = stored;
            this.outcome = outcome;
        }

        HttpResponse start() {
            RequestHeadersBuilder headers = req.headers().toBuilder();
            CONDITIONALS.forEach(headers::remove);
            stored.ifPresent(copy -> {
                copy.headers().getAll(HttpHeaderNames.ETAG).forEach(etag -> headers.add(HttpHeaderNames.IF_NONE_MATCH, etag));
                copy.headers().getAll(HttpHeaderNames.LAST_MODIFIED)
                        .forEach(date -> headers.add(HttpHeaderNames.IF_MODIFIED_SINCE, date));
            });
            metrics.originFetch();
            requestMillis = clock.millis();
            SplitHttpResponse origin = callOrigin(ctx, req.withHeaders(headers)).split();
            return HttpResponse.of(origin.headers().handle((responseHeaders, error) -> {
                try {
                    return respond(origin, responseHeaders, error);
                } catch (RuntimeException e) {
                    outcome.complete(Optional.empty());
                    throw e;
                }
            }));
        }

        private HttpResponse respond(SplitHttpResponse origin, ResponseHeaders headers, Throwable error) {
            long now = clock.millis();
            if (error != null || isOriginFailure(headers.status())) {
                return failed(origin, headers, error, now);
            }
            if (headers.status().equals(HttpStatus.NOT_MODIFIED) && stored.isPresent()) {
                origin.body().abort();
                CachedResponse revalidated = stored.get();
                ResponseHeaders refreshedHeaders = revalidated.headersRefreshedBy(headers);
                CachedResponse refreshed = new CachedResponse(revalidated.key(), refreshedHeaders, revalidated.body(),
                        Freshness.of(refreshedHeaders, requestMillis, now, maxStale));
                outcome.complete(Optional.of(new Shared(refreshed, CacheResult.REFRESH_HIT)));
                // Answer once the tiers hold the refreshed copy, so the client's next request finds it fresh.
                return HttpResponse.of(store.refresh(revalidated, refreshed, generation).thenApplyAsync(ignored ->
                        reply(refreshed, req.headers(), CacheResult.REFRESH_HIT, now)
                                .orElseGet(() -> forward(ctx, req, CacheResult.MISS)), ctx.eventLoop()));
            }
            if (policy.isStorable(req.headers(), headers)) {
                try {
                    return record(origin, headers, now);
                } catch (UncheckedIOException e) {
                    // The disk refuses a temporary file: serve the client all the same, just without storing.
                }
            } else if (stored.isPresent()) {
                // The origin no longer lets this be stored; the old copy must not outlive that answer.
                store.remove(stored.get().key());
            }
            outcome.complete(Optional.empty());
            metrics.request(CacheResult.MISS);
            return HttpResponse.of(withXCache(headers, CacheResult.MISS), origin.body(), origin.trailers());
        }

        /** The origin failed: a stale copy stands in if it may (stale-if-error, else maxStale), or the error goes through. */
        private HttpResponse failed(SplitHttpResponse origin, ResponseHeaders headers, Throwable error, long now) {
            Optional<CachedResponse> standIn = stored.filter(copy -> copy.freshness().usableOnError(now));
            Optional<HttpResponse> stale = standIn.flatMap(copy -> reply(copy, req.headers(), CacheResult.STALE, now));
            if (stale.isPresent()) {
                origin.body().abort();
                outcome.complete(Optional.of(new Shared(standIn.get(), CacheResult.STALE)));
                return stale.get();
            }
            outcome.complete(Optional.empty());
            metrics.request(CacheResult.ORIGIN_ERROR);
            return error != null ? badGateway()
                    : HttpResponse.of(withXCache(headers, CacheResult.ORIGIN_ERROR), origin.body(), origin.trailers());
        }

        /** Streams the body to the client while recording it; stores it once the last byte got through. */
        private HttpResponse record(SplitHttpResponse origin, ResponseHeaders headers, long responseMillis) {
            // Once the body outgrows maxObjectBytes it will not be stored: let the waiters go to the origin now.
            BodyRecorder recorder = store.recorder(ctx.blockingTaskExecutor(), () -> outcome.complete(Optional.empty()));
            CacheKey storedKey = CacheKey.of(req.headers(), CachedResponse.varyNames(headers));
            ResponseHeaders storedHeaders = CachedResponse.storableHeaders(headers);
            Freshness freshness = Freshness.of(headers, requestMillis, responseMillis, maxStale);
            OptionalLong contentLength = headers.contentLength() >= 0 ? OptionalLong.of(headers.contentLength()) : OptionalLong.empty();
            // The copy is committed before the client gets the last byte, so the client's next request finds it:
            // on the chunk that completes the Content-Length, else on a marker after the origin's body (the
            // stream's own completion can come before its last chunks went through the recorder).
            AtomicBoolean committing = new AtomicBoolean();
            Supplier<CompletableFuture<?>> commitOnce = () -> !committing.compareAndSet(false, true)
                    ? CompletableFuture.completedFuture(null)
                    : store.commit(storedKey, storedHeaders, freshness, recorder, contentLength, generation)
                            .whenComplete((committed, error) -> outcome.complete(committed == null ? Optional.empty()
                                    : committed.map(response -> new Shared(response, CacheResult.HIT))));
            StreamMessage<HttpData> body = StreamMessage.concat(List.of(origin.body(), StreamMessage.of(END_OF_BODY)))
                    .mapAsync(data -> {
                        if (data == END_OF_BODY) {
                            return commitOnce.get().handle((ignored, error) -> data);
                        }
                        return recorder.write(data).thenCompose(written ->
                                contentLength.isPresent() && recorder.length() == contentLength.getAsLong()
                                        ? commitOnce.get().handle((ignored, error) -> written)
                                        : CompletableFuture.completedFuture(written));
                    })
                    .filter(data -> data != END_OF_BODY);
            body.whenComplete().exceptionally(error -> {
                if (!committing.get()) {
                    recorder.discard();
                    outcome.complete(Optional.empty());
                }
                return null;
            });
            metrics.request(CacheResult.MISS);
            return HttpResponse.of(withXCache(headers, CacheResult.MISS), body, origin.trailers());
        }
    }

    /** The statuses CloudFront treats as the origin failing (and covers with a stale copy). */
    private static boolean isOriginFailure(HttpStatus status) {
        int code = status.code();
        return code == 500 || code == 502 || code == 503 || code == 504;
    }
}
