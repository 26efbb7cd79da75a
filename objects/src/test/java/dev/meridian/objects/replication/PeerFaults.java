package dev.meridian.objects.replication;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.objects.ObjectKeys;
import dev.meridian.objects.ObjectVersion;
import dev.meridian.objects.blob.BlobStore;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A region's blob service misbehaving on command for the blobs of chosen objects (unversioned keys), decided before
 * the object is written: serving wrong bytes, claiming not to hold them, or holding whole-blob transfers (copies)
 * back until healed while still serving ranges (read fallbacks).
 */
final class PeerFaults implements HttpService {
    private volatile HttpService service;
    private final Map<String, Fault> bySlot = new ConcurrentHashMap<>();
    private final AtomicInteger corrupted = new AtomicInteger();

    private sealed interface Fault {}

    private record Corrupt() implements Fault {}

    private record Hide() implements Fault {}

    private record HoldCopies(CompletableFuture<Void> released) implements Fault {}

    /** Puts these faults in front of {@code service}. */
    HttpService around(HttpService service) {
        this.service = service;
        return this;
    }

    void corrupt(String bucket, String key) {
        bySlot.put(slot(bucket, key), new Corrupt());
    }

    void hide(String bucket, String key) {
        bySlot.put(slot(bucket, key), new Hide());
    }

    void holdCopies(String bucket, String key) {
        bySlot.put(slot(bucket, key), new HoldCopies(new CompletableFuture<>()));
    }

    void heal(String bucket, String key) {
        if (bySlot.remove(slot(bucket, key)) instanceof HoldCopies hold) {
            hold.released().complete(null);
        }
    }

    /** How many answers were served corrupted. */
    int corrupted() {
        return corrupted.get();
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
        String blobId = ctx.path().substring(ObjectReplication.PEER_PATH_PREFIX.length());
        Fault fault = bySlot.get(blobId.substring(0, blobId.indexOf('-')));
        if (fault instanceof Hide) {
            return HttpResponse.of(HttpStatus.NOT_FOUND);
        }
        if (fault instanceof HoldCopies hold && !req.headers().contains(HttpHeaderNames.RANGE)) {
            return HttpResponse.of(hold.released().thenApply(released -> serveNow(ctx, req)));
        }
        if (fault instanceof Corrupt) {
            return HttpResponse.of(service.serve(ctx, req).aggregate().thenApply(answer -> {
                byte[] bytes = answer.content().array();
                bytes[0] ^= 1;
                corrupted.incrementAndGet();
                return HttpResponse.of(answer.headers(), HttpData.wrap(bytes));
            }));
        }
        return service.serve(ctx, req);
    }

    private HttpResponse serveNow(ServiceRequestContext ctx, HttpRequest req) {
        try {
            return service.serve(ctx, req);
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    private static String slot(String bucket, String key) {
        return BlobStore.slotDigest(ObjectKeys.slot(bucket, key, ObjectVersion.NULL_VERSION));
    }
}
