package dev.meridian.client;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * One user's session with Meridian, for an AWS SDK v2 client: every request asks for SESSION consistency and
 * carries the session's token; every response's token is merged in. Reads then see the session's own writes (and
 * never go back in time) in whichever region they land, with no change to application code.
 *
 * <pre>{@code
 * var session = new MeridianSession();
 * DynamoDbClient dynamo = DynamoDbClient.builder()
 *         .overrideConfiguration(c -> c.addExecutionInterceptor(session))
 *         .httpClient(sharedHttpClient)   // clients are cheap when they share one HTTP client
 *         ...
 * }</pre>
 *
 * <p>Register one session on several clients (DynamoDB and S3) to share it between them. To carry a session across
 * processes (a web session moving to another region), store {@link #token()} and pass it to
 * {@link #MeridianSession(String)}. Thread-safe.
 */
public final class MeridianSession implements ExecutionInterceptor {
    private final AtomicReference<ConsistencyToken> token;

    /** A new session: it has seen nothing yet. */
    public MeridianSession() {
        this.token = new AtomicReference<>(ConsistencyToken.EMPTY);
    }

    /** A session resumed from a token saved earlier (see {@link #token()}). */
    public MeridianSession(String savedToken) {
        this.token = new AtomicReference<>(ConsistencyToken.parse(savedToken));
    }

    /** The session's token as a header value, to save; empty before the session has seen anything. */
    public Optional<String> token() {
        ConsistencyToken current = token.get();
        return current.isEmpty() ? Optional.empty() : Optional.of(current.encode());
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        SdkHttpRequest.Builder request = context.httpRequest().toBuilder()
                .putHeader(ConsistencyToken.CONSISTENCY_HEADER, "session");
        ConsistencyToken current = token.get();
        if (!current.isEmpty()) {
            request.putHeader(ConsistencyToken.HEADER, current.encode());
        }
        return request.build();
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        context.httpResponse().firstMatchingHeader(ConsistencyToken.HEADER).ifPresent(this::observe);
    }

    /** Merges a token seen outside the SDK (e.g. from another client of the same user). */
    public void observe(String headerValue) {
        ConsistencyToken seen;
        try {
            seen = ConsistencyToken.parse(headerValue);
        } catch (IllegalArgumentException e) {
            return; // not from Meridian (e.g. a proxy's answer): nothing learned
        }
        token.accumulateAndGet(seen, ConsistencyToken::merge);
    }
}
