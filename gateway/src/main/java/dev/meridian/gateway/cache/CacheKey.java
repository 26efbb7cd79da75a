package dev.meridian.gateway.cache;

import com.linecorp.armeria.common.RequestHeaders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a stored response is filed under: the path, the query string in a canonical form, and the request's
 * values of the headers the response varies on. The method and the authority are left out on purpose: HEAD
 * is answered from a stored GET and every host name of the gateway fronts the same objects.
 *
 * @param path  the request path, without the query string
 * @param query the query parameters sorted, presigned-URL ({@code X-Amz-*}) parameters removed
 * @param vary  {@code name=value} for each header named in the response's {@code Vary}, in name order
 */
record CacheKey(String path, String query, List<String> vary) {
    /** The key for a request, given the header names (lower case, sorted) its URL's responses vary on. */
    static CacheKey of(RequestHeaders request, List<String> varyNames) {
        String target = request.path();
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? "" : canonicalQuery(target.substring(question + 1));
        List<String> vary = new ArrayList<>(varyNames.size());
        for (String name : varyNames) {
            // An absent header and an empty one are different variants.
            List<String> values = request.getAll(name);
            vary.add(values.isEmpty() ? name : name + '=' + String.join(",", values));
        }
        return new CacheKey(path, query, List.copyOf(vary));
    }

    /** The key without variant values, which finds the {@code Vary} names recorded for this URL. */
    CacheKey url() {
        return vary.isEmpty() ? this : new CacheKey(path, query, List.of());
    }

    /** Whether the request carries a presigned-URL signature (an {@code X-Amz-Signature} query parameter). */
    static boolean isPresigned(RequestHeaders request) {
        String target = request.path();
        int question = target.indexOf('?');
        return question >= 0 && Arrays.stream(target.substring(question + 1).split("&"))
                .anyMatch(parameter -> parameterName(parameter).equals("x-amz-signature"));
    }

    private static String canonicalQuery(String query) {
        // Signatures, credentials and expiry differ per presigned URL but name the same object.
        return Arrays.stream(query.split("&"))
                .filter(parameter -> !parameter.isEmpty() && !parameterName(parameter).startsWith("x-amz-"))
                .sorted()
                .collect(Collectors.joining("&"));
    }

    private static String parameterName(String parameter) {
        int equals = parameter.indexOf('=');
        return (equals < 0 ? parameter : parameter.substring(0, equals)).toLowerCase(Locale.ROOT);
    }
}
