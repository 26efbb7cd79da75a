package dev.meridian.core.auth;

import dev.meridian.core.auth.AuthFailure.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * S3's legacy query-string authentication (Signature Version 2): {@code ?AWSAccessKeyId=…&Expires=…&Signature=…}, an
 * HMAC-SHA1 of the request's method, Content-MD5, Content-Type, expiry, {@code x-amz-*} headers and resource. AWS
 * CLI v1's {@code aws s3 presign} makes these, and S3 still takes them in the regions that predate SigV4.
 *
 * <p>Thread-safe: one instance serves every event loop.
 */
public final class SigV2PresignedUrl {
    private static final String ACCESS_KEY_PARAM = "AWSAccessKeyId";
    private static final String SIGNATURE_PARAM = "Signature";
    private static final String EXPIRES_PARAM = "Expires";
    /** Query parameters that name a sub-resource or a response override, which the signed resource includes. */
    private static final Set<String> SIGNED_PARAMS = Set.of("accelerate", "acl", "analytics", "cors", "delete",
            "inventory", "lifecycle", "location", "logging", "metrics", "notification", "object-lock", "partNumber",
            "policy", "replication", "requestPayment", "response-cache-control", "response-content-disposition",
            "response-content-encoding", "response-content-language", "response-content-type", "response-expires",
            "restore", "select", "select-type", "storageClass", "tagging", "torrent", "uploadId", "uploads",
            "versionId", "versioning", "versions", "website");

    private final Function<String, Optional<String>> secrets;
    private final Clock clock;

    /**
     * @param secrets the secret access key for an access key id, if that id is configured
     * @param clock the time expiries are checked against
     */
    public SigV2PresignedUrl(Function<String, Optional<String>> secrets, Clock clock) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether {@code rawQuery} authenticates the request this way (and not by SigV4's presigned form). */
    public static boolean isPresigned(String rawQuery) {
        if (!rawQuery.contains(ACCESS_KEY_PARAM)) {
            return false; // nearly every request: no need to parse its query
        }
        List<QueryParam> query = QueryParam.parse(rawQuery);
        return !PresignedQuery.isPresigned(query) && has(query, ACCESS_KEY_PARAM) && has(query, SIGNATURE_PARAM);
    }

    /**
     * Verifies one request; never throws for anything the client sent.
     *
     * @param hostBucket the bucket the Host header addresses (virtual-hosted style), empty for path-style requests:
     *     the signed resource is always {@code /bucket/key}
     */
    public SigV4Result verify(SigV4Request request, Optional<String> hostBucket) {
        try {
            return authenticate(request, hostBucket);
        } catch (AuthException e) {
            return e.failure();
        }
    }

    private Authenticated authenticate(SigV4Request request, Optional<String> hostBucket) throws AuthException {
        if (request.firstHeader("authorization").isPresent()) {
            throw new AuthException(Reason.INCOMPLETE_SIGNATURE, SigV4Verifier.ONE_MECHANISM_ONLY);
        }
        if (request.payloadHash().startsWith("STREAMING-AWS4-")) {
            throw new AuthException(Reason.INCOMPLETE_SIGNATURE, "A body with signed chunks needs a Signature Version 4"
                    + " request signature to chain from.");
        }
        List<QueryParam> query = QueryParam.parse(request.rawQuery());
        String accessKeyId = first(query, ACCESS_KEY_PARAM);
        String signature = first(query, SIGNATURE_PARAM);
        String expires = first(query, EXPIRES_PARAM);
        if (expires.isEmpty()) {
            throw new AuthException(Reason.MISSING_AUTHENTICATION, "Query-string authentication requires the "
                    + "Signature, Expires and AWSAccessKeyId parameters");
        }
        long expiresEpochSecond;
        try {
            expiresEpochSecond = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw new AuthException(Reason.MISSING_AUTHENTICATION, "Invalid date (should be seconds since epoch): "
                    + expires);
        }
        if (clock.instant().getEpochSecond() > expiresEpochSecond) {
            throw new AuthException(Reason.EXPIRED, "Request has expired");
        }
        String secret = secrets.apply(accessKeyId).orElseThrow(() -> new AuthException(Reason.UNKNOWN_ACCESS_KEY,
                "The AWS Access Key Id you provided does not exist in our records."));
        if (!signs(signature, secret, stringToSign(request, request.rawPath(), query, expires, hostBucket))
                // A proxy in between (Armeria's client is one) may send on a path's %2B as the + it stands for.
                && !(request.rawPath().contains("+") && signs(signature, secret,
                        stringToSign(request, request.rawPath().replace("+", "%2B"), query, expires, hostBucket)))) {
            throw new AuthException(Reason.SIGNATURE_MISMATCH, "The request signature we calculated does not match the "
                    + "signature you provided. Check your key and signing method.");
        }
        // Nothing chains from a SigV2 signature (signed chunks are refused above), so its seed signs nothing.
        return new Authenticated(accessKeyId, "", "s3", new SeedSignature(signature, "", "", new byte[0]));
    }

    private static boolean signs(String signature, String secret, String stringToSign) {
        String expected = Base64.getEncoder().encodeToString(hmacSha1(secret, stringToSign));
        // Constant time, so response timing does not reveal how much of a guessed signature was right.
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * What S3 signs: method, Content-MD5, Content-Type, expiry, {@code x-amz-*} headers, then the resource, its path
     * {@code rawPath} as the client encoded it.
     */
    private static String stringToSign(SigV4Request request, String rawPath, List<QueryParam> query, String expires,
            Optional<String> hostBucket) {
        var out = new StringBuilder(request.method()).append('\n')
                .append(request.firstHeader("content-md5").orElse("")).append('\n')
                .append(request.firstHeader("content-type").orElse("")).append('\n')
                .append(expires).append('\n');
        var amzHeaders = new TreeMap<String, List<String>>();
        request.headers().forEach((name, values) -> {
            if (name.startsWith("x-amz-")) {
                amzHeaders.put(name, values);
            }
        });
        amzHeaders.forEach((name, values) -> out.append(name).append(':')
                .append(values.stream().map(v -> v.strip().replaceAll("\\s+", " ")).collect(Collectors.joining(",")))
                .append('\n'));
        hostBucket.ifPresent(bucket -> out.append('/').append(bucket));
        out.append(rawPath);
        List<QueryParam> signed = new ArrayList<>(query.stream().filter(p -> SIGNED_PARAMS.contains(p.name())).toList());
        signed.sort(Comparator.comparing(QueryParam::name));
        for (int i = 0; i < signed.size(); i++) {
            QueryParam param = signed.get(i);
            out.append(i == 0 ? '?' : '&').append(param.name());
            if (rawQueryHasValue(request.rawQuery(), param.name())) {
                out.append('=').append(param.value());
            }
        }
        return out.toString();
    }

    // "?uploads" and "?uploads=" sign differently: the first has no "=".
    private static boolean rawQueryHasValue(String rawQuery, String name) {
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (UriEncoding.decode(eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
                return eq >= 0;
            }
        }
        return false;
    }

    private static byte[] hmacSha1(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
        }
    }

    private static boolean has(List<QueryParam> query, String name) {
        return query.stream().anyMatch(p -> p.name().equals(name));
    }

    private static String first(List<QueryParam> query, String name) {
        return query.stream().filter(p -> p.name().equals(name)).map(QueryParam::value).findFirst().orElse("");
    }
}
