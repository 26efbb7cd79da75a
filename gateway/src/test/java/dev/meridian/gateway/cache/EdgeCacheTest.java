package dev.meridian.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeCacheTest {
    private static final long KIB = 1024;

    /** One origin and one proxy for all tests; each test gets its own cache behind the proxy. */
    private static final TestOrigin origin = new TestOrigin();
    private static final WebClient originClient = WebClient.of(origin.uri().replace("http://", "h1c://"));
    private static volatile HttpService cachedProxy;
    private static volatile HttpService invalidations;
    private static Server proxy;
    private static WebClient client;

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock();
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private EdgeCache cache;

    @BeforeAll
    static void startProxy() {
        proxy = Server.builder()
                .http(0)
                .service("/invalidations", (ctx, req) -> invalidations.serve(ctx, req))
                .serviceUnder("/", (ctx, req) -> cachedProxy.serve(ctx, req))
                .build();
        proxy.start().join();
        client = WebClient.of("h1c://127.0.0.1:" + proxy.activeLocalPort());
    }

    @AfterAll
    static void stopServers() {
        proxy.close();
        origin.close();
    }

    @BeforeEach
    void newCache() {
        origin.reset();
        cache = new EdgeCache(new CacheSettings(64 * KIB, 8 * 1024 * KIB, directory, 2 * 1024 * KIB, Duration.ofHours(1)),
                meters, clock);
        cachedProxy = cache.decorate((ctx, req) -> originClient.execute(req));
        invalidations = cache.invalidationService();
    }

    @AfterEach
    void closeCache() {
        cache.close();
    }

    @Test
    void secondGetIsAHitAndOriginIsAskedOnce() {
        origin.answer("/a.txt", (ctx, req) -> ok("hello", "cache-control", "max-age=60"));

        AggregatedHttpResponse first = get("/a.txt");
        clock.advance(Duration.ofSeconds(5));
        AggregatedHttpResponse second = get("/a.txt");
        AggregatedHttpResponse head = send(RequestHeaders.builder(HttpMethod.HEAD, "/a.txt"));

        assertThat(first.contentUtf8()).isEqualTo("hello");
        assertThat(first.headers().get("x-cache")).isEqualTo("Miss from meridian");
        assertThat(second.contentUtf8()).isEqualTo("hello");
        assertThat(second.headers().get("x-cache")).isEqualTo("Hit from meridian");
        assertThat(second.headers().get(HttpHeaderNames.AGE)).isEqualTo("5");
        assertThat(head.headers().get("x-cache")).isEqualTo("Hit from meridian");
        assertThat(head.headers().contentLength()).isEqualTo(5);
        assertThat(origin.hits("/a.txt")).isEqualTo(1);
        assertThat(requests("hit")).isEqualTo(2);
        assertThat(requests("miss")).isEqualTo(1);
    }

    @Test
    void queryParametersAreSortedAndPresignedSignaturesIgnoredInTheKey() {
        origin.answer("/q", (ctx, req) -> ok("q", "cache-control", "public, max-age=60"));

        get("/q?b=2&a=1&X-Amz-Signature=one&X-Amz-Expires=60");
        AggregatedHttpResponse reordered = get("/q?a=1&b=2&X-Amz-Signature=two");
        get("/q?a=1&b=3");

        assertThat(reordered.headers().get("x-cache")).isEqualTo("Hit from meridian");
        assertThat(origin.hits("/q")).isEqualTo(2);
    }

    @Test
    void expiredEntryIsRevalidatedWithItsEtagAndServedAsRefreshHit() {
        origin.answer("/doc", (ctx, req) -> "\"v1\"".equals(req.headers().get(HttpHeaderNames.IF_NONE_MATCH))
                ? HttpResponse.of(ResponseHeaders.builder(HttpStatus.NOT_MODIFIED)
                        .add("etag", "\"v1\"").add("cache-control", "max-age=60").build())
                : ok("version one", "etag", "\"v1\"", "cache-control", "max-age=60"));

        get("/doc");
        clock.advance(Duration.ofSeconds(61));
        AggregatedHttpResponse revalidated = get("/doc");
        AggregatedHttpResponse afterwards = get("/doc");

        assertThat(revalidated.status()).isEqualTo(HttpStatus.OK);
        assertThat(revalidated.contentUtf8()).isEqualTo("version one");
        assertThat(revalidated.headers().get("x-cache")).isEqualTo("RefreshHit from meridian");
        assertThat(origin.requests("/doc").get(1).get(HttpHeaderNames.IF_NONE_MATCH)).isEqualTo("\"v1\"");
        assertThat(afterwards.headers().get("x-cache")).isEqualTo("Hit from meridian");
        assertThat(origin.hits("/doc")).isEqualTo(2);
    }

    @Test
    void changedObjectReplacesTheStoredCopyOnRevalidation() {
        origin.answer("/doc", (ctx, req) -> ok("version one", "etag", "\"v1\"", "cache-control", "max-age=60"));
        get("/doc");
        clock.advance(Duration.ofSeconds(61));
        origin.answer("/doc", (ctx, req) -> ok("version two", "etag", "\"v2\"", "cache-control", "max-age=60"));

        AggregatedHttpResponse changed = get("/doc");
        AggregatedHttpResponse again = get("/doc");

        assertThat(changed.contentUtf8()).isEqualTo("version two");
        assertThat(changed.headers().get("x-cache")).isEqualTo("Miss from meridian");
        assertThat(again.contentUtf8()).isEqualTo("version two");
        assertThat(again.headers().get("x-cache")).isEqualTo("Hit from meridian");
        assertThat(origin.hits("/doc")).isEqualTo(2);
    }

    @Test
    void clientValidatorsMatchingAFreshEntryGet304FromTheCache() {
        origin.answer("/doc", (ctx, req) -> ok("body", "etag", "\"v1\"", "cache-control", "max-age=60"));
        get("/doc");

        AggregatedHttpResponse notModified = get("/doc", "if-none-match", "W/\"v1\"");
        AggregatedHttpResponse modified = get("/doc", "if-none-match", "\"v0\"");

        assertThat(notModified.status()).isEqualTo(HttpStatus.NOT_MODIFIED);
        assertThat(notModified.headers().get(HttpHeaderNames.ETAG)).isEqualTo("\"v1\"");
        assertThat(notModified.content().isEmpty()).isTrue();
        assertThat(modified.status()).isEqualTo(HttpStatus.OK);
        assertThat(modified.contentUtf8()).isEqualTo("body");
        assertThat(origin.hits("/doc")).isEqualTo(1);
    }

    @Test
    void authorizedRequestsAreStoredOnlyWhenTheResponseIsPublic() {
        origin.answer("/mine", (ctx, req) -> ok("mine", "cache-control", "max-age=60"));
        origin.answer("/shared", (ctx, req) -> ok("shared", "cache-control", "public, max-age=60"));

        for (int i = 0; i < 2; i++) {
            get("/mine", "authorization", "Bearer token");
            get("/shared", "authorization", "Bearer token");
        }

        assertThat(origin.hits("/mine")).isEqualTo(2);
        assertThat(origin.hits("/shared")).isEqualTo(1);
    }

    @Test
    void legacyPresignedUrlsAreCredentialsTooAndLeftOutOfTheKey() {
        origin.answer("/mine", (ctx, req) -> ok("mine", "cache-control", "max-age=60"));
        origin.answer("/shared", (ctx, req) -> ok("shared", "cache-control", "public, max-age=60"));

        for (int i = 0; i < 2; i++) {
            get("/mine?AWSAccessKeyId=meridian&Expires=1796390444&Signature=one");
        }
        get("/shared?AWSAccessKeyId=meridian&Expires=1796390444&Signature=one");
        AggregatedHttpResponse otherUrl = get("/shared?AWSAccessKeyId=meridian&Expires=1796390500&Signature=two");

        assertThat(origin.hits("/mine")).as("a private object is never kept for the next holder of the URL").isEqualTo(2);
        assertThat(otherUrl.headers().get("x-cache")).isEqualTo("Hit from meridian");
        assertThat(origin.hits("/shared")).isEqualTo(1);
    }

    @Test
    void varyKeepsOneCopyPerValueOfTheNamedHeader() {
        origin.answer("/greeting", (ctx, req) -> ok("hello in " + req.headers().get("accept-language"),
                "cache-control", "max-age=60", "vary", "Accept-Language"));

        AggregatedHttpResponse english = get("/greeting", "accept-language", "en");
        AggregatedHttpResponse french = get("/greeting", "accept-language", "fr");
        AggregatedHttpResponse englishAgain = get("/greeting", "accept-language", "en");
        AggregatedHttpResponse frenchAgain = get("/greeting", "accept-language", "fr");

        assertThat(english.contentUtf8()).isEqualTo("hello in en");
        assertThat(french.contentUtf8()).isEqualTo("hello in fr");
        assertThat(englishAgain.contentUtf8()).isEqualTo("hello in en");
        assertThat(englishAgain.headers().get("x-cache")).isEqualTo("Hit from meridian");
        assertThat(frenchAgain.contentUtf8()).isEqualTo("hello in fr");
        assertThat(origin.hits("/greeting")).isEqualTo(2);
    }

    @Test
    void rangesAreServedFromTheStoredBody() {
        origin.answer("/digits", (ctx, req) -> ok("0123456789", "cache-control", "max-age=60"));
        get("/digits");

        AggregatedHttpResponse middle = get("/digits", "range", "bytes=2-5");
        AggregatedHttpResponse suffix = get("/digits", "range", "bytes=-3");
        AggregatedHttpResponse beyond = get("/digits", "range", "bytes=10-");

        assertThat(middle.status()).isEqualTo(HttpStatus.PARTIAL_CONTENT);
        assertThat(middle.contentUtf8()).isEqualTo("2345");
        assertThat(middle.headers().get(HttpHeaderNames.CONTENT_RANGE)).isEqualTo("bytes 2-5/10");
        assertThat(suffix.contentUtf8()).isEqualTo("789");
        assertThat(beyond.status()).isEqualTo(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
        assertThat(beyond.headers().get(HttpHeaderNames.CONTENT_RANGE)).isEqualTo("bytes */10");
        assertThat(origin.hits("/digits")).isEqualTo(1);
    }

    @Test
    void rangeMissGoesToTheOriginUnchangedAndIsNotStored() {
        origin.answer("/digits", (ctx, req) -> HttpResponse.of(ResponseHeaders.builder(HttpStatus.PARTIAL_CONTENT)
                .add("content-range", "bytes 0-1/10").add("cache-control", "max-age=60").build(), HttpData.ofUtf8("01")));

        AggregatedHttpResponse partial = get("/digits", "range", "bytes=0-1");
        get("/digits", "range", "bytes=0-1");

        assertThat(partial.status()).isEqualTo(HttpStatus.PARTIAL_CONTENT);
        assertThat(partial.contentUtf8()).isEqualTo("01");
        assertThat(origin.requests("/digits").get(0).get(HttpHeaderNames.RANGE)).isEqualTo("bytes=0-1");
        assertThat(origin.hits("/digits")).isEqualTo(2);
    }

    @Test
    void concurrentMissesCollapseIntoOneOriginRequest() {
        origin.answer("/slow", (ctx, req) -> HttpResponse.delayed(
                ok("worth the wait", "cache-control", "max-age=60"), Duration.ofMillis(500)));

        List<AggregatedHttpResponse> responses = IntStream.range(0, 20)
                .mapToObj(i -> client.get("/slow").aggregate())
                .toList().stream().map(CompletableFuture::join).toList();

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.status()).isEqualTo(HttpStatus.OK);
            assertThat(response.contentUtf8()).isEqualTo("worth the wait");
        });
        assertThat(origin.hits("/slow")).isEqualTo(1);
        assertThat(meters.counter("meridian.gateway.cache.collapsed").count()).isEqualTo(19);
    }

    @Test
    void waitersGoToTheOriginThemselvesWhenTheResponseIsNotStorable() {
        origin.answer("/dynamic", (ctx, req) -> HttpResponse.delayed(
                ok("fresh each time", "cache-control", "no-store"), Duration.ofMillis(300)));

        List<AggregatedHttpResponse> responses = IntStream.range(0, 5)
                .mapToObj(i -> client.get("/dynamic").aggregate())
                .toList().stream().map(CompletableFuture::join).toList();

        assertThat(responses).allSatisfy(response -> assertThat(response.contentUtf8()).isEqualTo("fresh each time"));
        assertThat(origin.hits("/dynamic")).isEqualTo(5);
    }

    @Test
    void invalidationDropsExactPathsAndWildcardPrefixes() {
        for (String path : List.of("/a/b.png", "/images/1.png", "/images/2.png", "/other.txt")) {
            origin.answer(path, (ctx, req) -> ok(path, "cache-control", "max-age=3600"));
            get(path);
        }

        AggregatedHttpResponse exact = invalidate("{\"Paths\":[\"/a/b.png\"]}");
        AggregatedHttpResponse wildcard = invalidate("{\"Paths\":[\"/images/*\"]}");
        List.of("/a/b.png", "/images/1.png", "/images/2.png", "/other.txt").forEach(this::get);

        assertThat(exact.status()).isEqualTo(HttpStatus.CREATED);
        assertThat(exact.contentUtf8()).contains("\"Status\":\"Completed\"", "\"Invalidated\":1", "\"Paths\":[\"/a/b.png\"]");
        assertThat(wildcard.contentUtf8()).contains("\"Invalidated\":2");
        assertThat(origin.hits("/a/b.png")).isEqualTo(2);
        assertThat(origin.hits("/images/1.png")).isEqualTo(2);
        assertThat(origin.hits("/images/2.png")).isEqualTo(2);
        assertThat(origin.hits("/other.txt")).isEqualTo(1);
        assertThat(cache.invalidate(List.of("/*"))).isEqualTo(4);
        assertThat(meters.counter("meridian.gateway.cache.invalidated").count()).isEqualTo(7);
    }

    @Test
    void malformedInvalidationsAreRejectedWithAReason() {
        AggregatedHttpResponse notJson = invalidate("Paths: /a");
        AggregatedHttpResponse noPaths = invalidate("{\"Items\":[\"/a\"]}");
        AggregatedHttpResponse badWildcard = invalidate("{\"Paths\":[\"/a/*/b\"]}");

        assertThat(notJson.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(notJson.contentUtf8()).contains("not JSON");
        assertThat(noPaths.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(noPaths.contentUtf8()).contains("Paths");
        assertThat(badWildcard.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(badWildcard.contentUtf8()).contains("may only end");
    }

    @Test
    void staleCopyStandsInWhenTheOriginAnswers503() {
        origin.answer("/news", (ctx, req) -> ok("yesterday's news", "cache-control", "max-age=10"));
        get("/news");
        clock.advance(Duration.ofSeconds(30));
        origin.answer("/news", (ctx, req) -> HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE));

        AggregatedHttpResponse stale = get("/news");

        assertThat(stale.status()).isEqualTo(HttpStatus.OK);
        assertThat(stale.contentUtf8()).isEqualTo("yesterday's news");
        assertThat(stale.headers().get("x-cache")).isEqualTo("Error from meridian");
        assertThat(origin.hits("/news")).isEqualTo(2);
        assertThat(requests("stale")).isEqualTo(1);
    }

    @Test
    void errorPassesThroughOnceTheStaleIfErrorWindowIsOver() {
        origin.answer("/news", (ctx, req) -> ok("old", "cache-control", "max-age=10, stale-if-error=5"));
        get("/news");
        clock.advance(Duration.ofSeconds(20));
        origin.answer("/news", (ctx, req) -> HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE));

        AggregatedHttpResponse error = get("/news");

        assertThat(error.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(error.headers().get("x-cache")).isEqualTo("Error from meridian");
    }

    @Test
    void staleCopyStandsInWhenTheOriginIsDown() throws IOException {
        origin.answer("/news", (ctx, req) -> ok("cached before the outage", "cache-control", "max-age=10"));
        get("/news");
        clock.advance(Duration.ofSeconds(30));
        // A bound socket that does not listen: connections to its port are refused, and no one else can take it.
        try (Socket unreachable = new Socket()) {
            unreachable.bind(new InetSocketAddress("127.0.0.1", 0));
            WebClient downOrigin = WebClient.of("h1c://127.0.0.1:" + unreachable.getLocalPort());
            cachedProxy = cache.decorate((ctx, req) -> downOrigin.execute(req));

            AggregatedHttpResponse stale = get("/news");

            assertThat(stale.status()).isEqualTo(HttpStatus.OK);
            assertThat(stale.contentUtf8()).isEqualTo("cached before the outage");
            assertThat(stale.headers().get("x-cache")).isEqualTo("Error from meridian");
            assertThat(get("/never-cached").status()).isEqualTo(HttpStatus.BAD_GATEWAY);
        }
    }

    @Test
    void memoryTierStaysWithinItsBoundAndTheDiskTierServesLargeObjectsExactly() throws IOException {
        byte[] large = new byte[1024 * 1024 + 17];
        new Random(42).nextBytes(large);
        origin.answer("/large.bin", (ctx, req) -> HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.OCTET_STREAM).add("cache-control", "max-age=60").build(), HttpData.wrap(large)));
        for (int i = 0; i < 40; i++) {
            String path = "/small/" + i;
            origin.answer(path, (ctx, req) -> ok("x".repeat(3000), "cache-control", "max-age=60"));
            get(path);
        }

        AggregatedHttpResponse miss = get("/large.bin");
        AggregatedHttpResponse hit = get("/large.bin");
        cache.store().settle().join();

        assertThat(cache.store().memoryBytes()).isPositive().isLessThanOrEqualTo(64 * KIB);
        assertThat(meters.get("meridian.gateway.cache.memory.bytes").gauge().value()).isLessThanOrEqualTo(64 * KIB);
        assertThat(miss.content().array()).isEqualTo(large);
        assertThat(hit.headers().get("x-cache")).isEqualTo("Hit from meridian");
        assertThat(hit.content().array()).isEqualTo(large);
        assertThat(origin.hits("/large.bin")).isEqualTo(1);
        assertThat(cache.store().diskBytes()).isGreaterThan(large.length);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.filter(file -> file.toString().endsWith(".body")).mapToLong(EdgeCacheTest::size).max())
                    .hasValue(large.length);
        }
        // A small object the memory tier evicted is still a hit, from disk.
        assertThat(get("/small/0").headers().get("x-cache")).isEqualTo("Hit from meridian");
        assertThat(origin.hits("/small/0")).isEqualTo(1);
    }

    @Test
    void objectsOverMaxObjectBytesAreStreamedThroughButNotStored() {
        byte[] huge = new byte[3 * 1024 * 1024];
        origin.answer("/huge.bin", (ctx, req) -> HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                .add("cache-control", "max-age=60").build(), HttpData.wrap(huge)));

        assertThat(get("/huge.bin").content().length()).isEqualTo(huge.length);
        assertThat(get("/huge.bin").content().length()).isEqualTo(huge.length);

        assertThat(origin.hits("/huge.bin")).isEqualTo(2);
    }

    @Test
    void requestNoCacheMakesTheCacheRevalidateAFreshEntry() {
        origin.answer("/doc", (ctx, req) -> req.headers().contains(HttpHeaderNames.IF_NONE_MATCH)
                ? HttpResponse.of(ResponseHeaders.builder(HttpStatus.NOT_MODIFIED).add("etag", "\"v1\"").build())
                : ok("body", "etag", "\"v1\"", "cache-control", "max-age=60"));
        get("/doc");

        AggregatedHttpResponse revalidated = get("/doc", "cache-control", "no-cache");

        assertThat(revalidated.contentUtf8()).isEqualTo("body");
        assertThat(revalidated.headers().get("x-cache")).isEqualTo("RefreshHit from meridian");
        assertThat(origin.hits("/doc")).isEqualTo(2);
    }

    @Test
    void bodyOfUnknownLengthOverMaxObjectBytesIsStreamedThroughButNotStored() throws IOException {
        origin.answer("/stream.bin", (ctx, req) -> {
            HttpResponseWriter writer = HttpResponse.streaming();
            writer.write(ResponseHeaders.builder(HttpStatus.OK).add("cache-control", "max-age=60").build());
            for (int i = 0; i < 48; i++) {
                writer.write(HttpData.wrap(new byte[64 * 1024]));
            }
            writer.close();
            return writer;
        });

        assertThat(get("/stream.bin").content().length()).isEqualTo(48 * 64 * 1024);
        assertThat(get("/stream.bin").content().length()).isEqualTo(48 * 64 * 1024);

        assertThat(origin.hits("/stream.bin")).isEqualTo(2);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void noStoreIsNeverStored() {
        origin.answer("/secret", (ctx, req) -> ok("secret", "cache-control", "no-store"));
        origin.answer("/public", (ctx, req) -> ok("public", "cache-control", "max-age=60"));

        get("/secret");
        get("/secret");
        get("/public", "cache-control", "no-store");
        AggregatedHttpResponse afterBypass = get("/public");

        assertThat(origin.hits("/secret")).isEqualTo(2);
        assertThat(afterBypass.headers().get("x-cache")).isEqualTo("Miss from meridian");
        assertThat(requests("bypass")).isEqualTo(1);
    }

    @Test
    void abortedOriginBodyStoresNothing() throws IOException {
        origin.answer("/broken", (ctx, req) -> {
            HttpResponseWriter writer = HttpResponse.streaming();
            writer.write(ResponseHeaders.builder(HttpStatus.OK).contentLength(10_000).add("cache-control", "max-age=60").build());
            writer.write(HttpData.wrap(new byte[4000]));
            ctx.eventLoop().schedule(() -> writer.abort(), 100, TimeUnit.MILLISECONDS);
            return writer;
        });

        assertThatThrownBy(() -> get("/broken")).isInstanceOf(Exception.class);
        assertThatThrownBy(() -> get("/broken")).isInstanceOf(Exception.class);

        assertThat(origin.hits("/broken")).isEqualTo(2);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).isEmpty();
        }
    }

    private AggregatedHttpResponse get(String path, String... headers) {
        return send(RequestHeaders.builder(HttpMethod.GET, path), headers);
    }

    private AggregatedHttpResponse send(RequestHeadersBuilder request, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.add(headers[i], headers[i + 1]);
        }
        return client.execute(request.build()).aggregate().join();
    }

    private AggregatedHttpResponse invalidate(String json) {
        return client.execute(HttpRequest.of(HttpMethod.POST, "/invalidations", MediaType.JSON, json)).aggregate().join();
    }

    private double requests(String result) {
        return meters.get("meridian.gateway.cache.requests").tag("result", result).counter().count();
    }

    private static HttpResponse ok(String body, String... headers) {
        ResponseHeadersBuilder builder = ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.PLAIN_TEXT_UTF_8);
        for (int i = 0; i < headers.length; i += 2) {
            builder.add(headers[i], headers[i + 1]);
        }
        return HttpResponse.of(builder.build(), HttpData.ofUtf8(body));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
