package dev.meridian.gateway.cache;

import com.linecorp.armeria.common.RequestHeaders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a stored response is filed under: the path, the query string in a canonical form, and the request's
 * values of the headers the response varies on. The method and the authority are left out on purpose: HEAD
 * is answered from a stored GET and every host name of the gateway fronts the same objects.
 *
 * @param path  the request path, without the query string
 * @param query the query parameters sorted, presigned-URL ({@code X-Amz-*}; SigV2's {@code AWSAccessKeyId},
 *     {@code Signature}, {@code Expires}) parameters removed
 * @param vary  {@code name=value} for each header named in the response's {@code Vary}, in name order
 */
record CacheKey(String path, String query, List<String> vary) {
    /** The query parameters of S3's legacy (SigV2) presigned URLs, lower case. */
    private static final Set<String> LEGACY_SIGNATURE_PARAMETERS = Set.of("awsaccesskeyid", "signature", "expires");

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

    /**
     * Whether the request carries a presigned-URL signature: an {@code X-Amz-Signature} query parameter (SigV4), or
     * S3's legacy {@code Signature} (SigV2).
     */
    static boolean isPresigned(RequestHeaders request) {
        String target = request.path();
        int question = target.indexOf('?');
        return question >= 0 && Arrays.stream(target.substring(question + 1).split("&"))
                .map(CacheKey::parameterName)
                .anyMatch(name -> name.equals("x-amz-signature") || name.equals("signature"));
    }

    private static String canonicalQuery(String query) {
        // Signatures, credentials and expiry differ per presigned URL but name the same object.
        return Arrays.stream(query.split("&"))
                .filter(parameter -> !parameter.isEmpty() && !isSignatureParameter(parameterName(parameter)))
                .sorted()
                .collect(Collectors.joining("&"));
    }

    private static boolean isSignatureParameter(String name) {
        return name.startsWith("x-amz-") || LEGACY_SIGNATURE_PARAMETERS.contains(name);
    }

    private static String parameterName(String parameter) {
        int equals = parameter.indexOf('=');
        return (equals < 0 ? parameter : parameter.substring(0, equals)).toLowerCase(Locale.ROOT);
    }
}
