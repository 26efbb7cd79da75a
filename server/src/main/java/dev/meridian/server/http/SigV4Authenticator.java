package dev.meridian.server.http;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import dev.meridian.core.auth.AuthFailure;
import dev.meridian.core.auth.Authenticated;
import dev.meridian.core.auth.SigV4Request;
import dev.meridian.core.auth.SigV4Result;
import dev.meridian.core.auth.SigV4Verifier;
import io.netty.util.AttributeKey;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decorates a JSON-protocol AWS API so only SigV4-signed requests reach it; a refused request is answered by the
 * caller's error shaping, as each API words its errors its own way.
 *
 * <p>The body is aggregated to hash it, which suits JSON APIs: their requests are small and read whole anyway.
 */
public final class SigV4Authenticator extends SimpleDecoratingHttpService {
    /** The access key id that signed the request, set before the decorated service is called. */
    public static final AttributeKey<String> ACCESS_KEY_ID =
            AttributeKey.valueOf(SigV4Authenticator.class, "ACCESS_KEY_ID");

    /** DynamoDB's largest request; anything longer is refused with 413 before it is hashed. */
    static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024;

    private final SigV4Verifier verifier;
    private final Function<AuthFailure, HttpResponse> onFailure;

    public SigV4Authenticator(HttpService delegate, SigV4Verifier verifier, Function<AuthFailure, HttpResponse> onFailure) {
        super(delegate);
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        if (ctx.maxRequestLength() == 0 || ctx.maxRequestLength() > MAX_REQUEST_BYTES) {
            ctx.setMaxRequestLength(MAX_REQUEST_BYTES);
        }
        // The context-aware event loop runs the check, and the delegate, inside the request's context.
        return HttpResponse.of(req.aggregate().thenApplyAsync(aggregated -> authenticate(ctx, aggregated), ctx.eventLoop()));
    }

    private HttpResponse authenticate(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        // The request target exactly as sent: Armeria's path() and query() are re-encoded (a %20 in the query
        // becomes +), which would change what the client signed.
        String target = ctx.rawPath();
        int question = target.indexOf('?');
        String rawPath = question < 0 ? target : target.substring(0, question);
        String rawQuery = question < 0 ? "" : target.substring(question + 1);
        // JSON APIs sign the body itself: the hash is computed here, never taken from x-amz-content-sha256.
        SigV4Result result = verifier.verify(new SigV4Request(request.method().name(), rawPath, rawQuery,
                SigV4Request.headersOf(request.headers(), request.headers().authority()),
                SigV4Verifier.payloadHash(request.content().array()), true));
        if (result instanceof AuthFailure failure) {
            return onFailure.apply(failure);
        }
        ctx.setAttr(ACCESS_KEY_ID, ((Authenticated) result).accessKeyId());
        try {
            return unwrap().serve(ctx, request.toHttpRequest());
        } catch (Exception e) {
            return HttpResponse.ofFailure(e);
        }
    }
}
