package dev.meridian.gateway;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for a region's HTTP port in the gateway's own tests: {@code /health} answers as the test sets it
 * (status, delay, peers), {@code /echo} names the region and the Host it was asked for, {@code /upload} counts the
 * bytes it streams in and signals the first, {@code /expect} names the {@code Expect} header it got and the body. Stops and starts again on the same port, as a killed and restarted
 * region would.
 */
final class FakeRegion implements AutoCloseable {
    final String name;
    final AtomicReference<Duration> healthDelay = new AtomicReference<>(Duration.ZERO);
    final AtomicReference<String> peers = new AtomicReference<>("{\"peer\":\"connected\"}");
    final AtomicInteger requests = new AtomicInteger();
    final CompletableFuture<Void> firstUploadBytes = new CompletableFuture<>();
    final AtomicLong uploaded = new AtomicLong();
    private int port;
    private Server server;

    FakeRegion(String name) {
        this.name = name;
        start();
    }

    RegionTarget target() {
        return new RegionTarget(name, URI.create("http://127.0.0.1:" + port));
    }

    synchronized void start() {
        server = Server.builder()
                .http(port)
                .gracefulShutdownTimeoutMillis(0, 0)
                .service("/health", (ctx, req) -> HttpResponse.delayed(HttpResponse.of(HttpStatus.OK,
                        MediaType.JSON_UTF_8, "{\"status\":\"UP\",\"peers\":" + peers.get() + "}"), healthDelay.get()))
                .service("/echo", (ctx, req) -> {
                    requests.incrementAndGet();
                    return HttpResponse.of(name + " " + req.headers().authority());
                })
                .service("/expect", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(body -> HttpResponse.of(
                        "expect=" + req.headers().get("expect") + " body=" + body.contentUtf8()))))
                .service("/upload", (ctx, req) -> {
                    requests.incrementAndGet();
                    CompletableFuture<HttpResponse> done = new CompletableFuture<>();
                    req.subscribe(new CountingSubscriber(this, done));
                    return HttpResponse.of(done);
                })
                .build();
        server.start().join();
        port = server.activeLocalPort();
    }

    synchronized void stop() {
        server.stop().join();
    }

    void countUploaded(HttpData data) {
        uploaded.addAndGet(data.length());
        firstUploadBytes.complete(null);
    }

    @Override
    public void close() {
        server.stop().join();
    }

    /** Reads an upload as it streams in, never holding it. */
    private static final class CountingSubscriber implements org.reactivestreams.Subscriber<com.linecorp.armeria.common.HttpObject> {
        private final FakeRegion region;
        private final CompletableFuture<HttpResponse> done;

        CountingSubscriber(FakeRegion region, CompletableFuture<HttpResponse> done) {
            this.region = region;
            this.done = done;
        }

        @Override
        public void onSubscribe(org.reactivestreams.Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(com.linecorp.armeria.common.HttpObject object) {
            if (object instanceof HttpData data) {
                region.countUploaded(data);
            }
        }

        @Override
        public void onError(Throwable t) {
            done.complete(HttpResponse.of(HttpStatus.BAD_REQUEST));
        }

        @Override
        public void onComplete() {
            done.complete(HttpResponse.of(region.name + " " + region.uploaded.get()));
        }
    }
}
