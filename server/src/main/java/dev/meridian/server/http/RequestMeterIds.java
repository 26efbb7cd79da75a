package dev.meridian.server.http;

import com.linecorp.armeria.common.logging.RequestOnlyLog;
import com.linecorp.armeria.common.metric.MeterIdPrefix;
import com.linecorp.armeria.common.metric.MeterIdPrefixFunction;
import io.micrometer.core.instrument.MeterRegistry;

/** Names request meters {@code meridian.requests} with the API operation (from {@code X-Amz-Target}) as a tag. */
final class RequestMeterIds implements MeterIdPrefixFunction {
    @Override
    public MeterIdPrefix activeRequestPrefix(MeterRegistry registry, RequestOnlyLog log) {
        return prefix(log);
    }

    @Override
    public MeterIdPrefix completeRequestPrefix(MeterRegistry registry, com.linecorp.armeria.common.logging.RequestLog log) {
        return prefix(log).withTags("status", String.valueOf(log.responseHeaders().status().code()));
    }

    private static MeterIdPrefix prefix(RequestOnlyLog log) {
        String target = log.requestHeaders().get("x-amz-target", "");
        String operation = target.startsWith(DynamoDbService.TARGET_PREFIX)
                ? target.substring(DynamoDbService.TARGET_PREFIX.length())
                : "unknown";
        return new MeterIdPrefix("meridian.requests", "api", "dynamodb", "operation", operation);
    }
}
