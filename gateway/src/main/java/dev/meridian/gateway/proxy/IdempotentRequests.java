package dev.meridian.gateway.proxy;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import java.util.Set;

/**
 * Which requests the gateway may send a second time to another region when the first got no response: reads
 * only (GET, HEAD, OPTIONS, and the JSON-protocol read operations of DynamoDB, Secrets Manager and SSM), whose
 * bodies are small enough to keep for the second try. Writes are never retried: the client decides.
 */
final class IdempotentRequests {
    /** Bodies up to this size are read whole before sending; larger or unknown ones stream (and are never retried). */
    static final long MAX_KEPT_BODY = 1024 * 1024;

    private static final Set<String> JSON_READS = Set.of(
            "GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems", "DescribeTable", "ListTables",
            "DescribeTimeToLive", "DescribeEndpoints", "DescribeLimits", "ListTagsOfResource",
            "DescribeContinuousBackups", "GetSecretValue", "BatchGetSecretValue", "DescribeSecret", "ListSecrets",
            "ListSecretVersionIds", "GetParameter", "GetParameters", "GetParametersByPath");

    private IdempotentRequests() {}

    /** Whether the body is known to be small (or absent, as a GET's is). */
    static boolean keptWhole(RequestHeaders headers) {
        long length = headers.contentLength();
        return length >= 0 ? length <= MAX_KEPT_BODY : bodiless(headers.method());
    }

    static boolean retriable(RequestHeaders headers) {
        if (!keptWhole(headers)) {
            return false;
        }
        HttpMethod method = headers.method();
        if (bodiless(method)) {
            return true;
        }
        String target = headers.get("x-amz-target");
        return method == HttpMethod.POST && target != null
                && JSON_READS.contains(target.substring(target.lastIndexOf('.') + 1));
    }

    private static boolean bodiless(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
    }
}
