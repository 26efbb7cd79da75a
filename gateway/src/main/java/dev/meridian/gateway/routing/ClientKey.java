package dev.meridian.gateway.routing;

import com.linecorp.armeria.common.RequestHeaders;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who a request comes from, for affinity: an explicit {@code x-meridian-affinity} value (an app's user or session
 * id) when given; otherwise the AWS access key that signed it (header or presigned URL) together with the client's
 * address; otherwise the address alone.
 */
final class ClientKey {
    static final String AFFINITY_HEADER = "x-meridian-affinity";
    private static final Pattern HEADER_CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");
    private static final Pattern QUERY_CREDENTIAL = Pattern.compile("[?&]X-Amz-Credential=([^&]+)");

    private ClientKey() {}

    static String of(RequestHeaders headers, InetAddress client) {
        String explicit = headers.get(AFFINITY_HEADER);
        if (explicit != null && !explicit.isBlank()) {
            return "id:" + explicit;
        }
        String accessKey = accessKey(headers);
        return accessKey == null ? "ip:" + client.getHostAddress() : "key:" + accessKey + "@" + client.getHostAddress();
    }

    private static String accessKey(RequestHeaders headers) {
        String authorization = headers.get("authorization");
        if (authorization != null) {
            Matcher m = HEADER_CREDENTIAL.matcher(authorization);
            if (m.find()) {
                return m.group(1);
            }
        }
        Matcher m = QUERY_CREDENTIAL.matcher(headers.path());
        if (m.find()) {
            String credential = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
            int slash = credential.indexOf('/');
            return slash > 0 ? credential.substring(0, slash) : credential;
        }
        return null;
    }
}
