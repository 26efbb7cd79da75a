package dev.meridian.gateway.cache;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP origin for the cache's tests: each path answers as the test says and remembers the requests it
 * got. It sends no Date header, so ages come from the cache's (test) clock alone. Shared by a test class's tests
 * (starting and stopping Armeria servers costs seconds), hence {@link #reset}.
 */
final class TestOrigin implements AutoCloseable {
    private final Map<String, HttpService> handlers = new ConcurrentHashMap<>();
    private final Map<String, List<RequestHeaders>> requests = new ConcurrentHashMap<>();
    private final Server server;

    TestOrigin() {
        server = Server.builder()
                .http(0)
                .disableDateHeader()
                .serviceUnder("/", (ctx, req) -> {
                    requests.computeIfAbsent(ctx.path(), path -> new CopyOnWriteArrayList<>()).add(req.headers());
                    HttpService handler = handlers.get(ctx.path());
                    return handler == null ? HttpResponse.of(HttpStatus.NOT_FOUND) : handler.serve(ctx, req);
                })
                .build();
        server.start().join();
    }

    /** Answers requests for {@code path} (without query string) with {@code handler} from now on. */
    void answer(String path, HttpService handler) {
        handlers.put(path, handler);
    }

    int hits(String path) {
        return requests(path).size();
    }

    List<RequestHeaders> requests(String path) {
        return requests.getOrDefault(path, List.of());
    }

    String uri() {
        return "http://127.0.0.1:" + server.activeLocalPort();
    }

    /** Forgets every handler and every request seen, for the next test. */
    void reset() {
        handlers.clear();
        requests.clear();
    }

    @Override
    public void close() {
        server.close();
    }
}
