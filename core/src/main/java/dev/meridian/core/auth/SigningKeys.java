package dev.meridian.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives SigV4 signing keys (four chained HMACs) and keeps recent ones, since a key serves every request of a
 * client for a whole day. Shared by the server's event loops, hence the concurrent map.
 */
final class SigningKeys {
    /** Far above (access keys × days × regions × services) in use at once; only a flood of made-up scopes reaches it. */
    private static final int MAX_KEYS = 1024;

    private record Scope(String secret, String date, String region, String service) {}

    private final Map<Scope, byte[]> keys = new ConcurrentHashMap<>();

    byte[] signingKey(String secret, CredentialScope credential) {
        Scope scope = new Scope(secret, credential.date(), credential.region(), credential.service());
        byte[] key = keys.get(scope);
        if (key == null) {
            key = derive(scope);
            // Dropping everything keeps the bound without bookkeeping; in use, keys are re-derived in microseconds.
            if (keys.size() >= MAX_KEYS) {
                keys.clear();
            }
            keys.put(scope, key);
        }
        return key;
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    private static byte[] derive(Scope scope) {
        byte[] dateKey = hmac(("AWS4" + scope.secret()).getBytes(StandardCharsets.UTF_8), scope.date());
        byte[] regionKey = hmac(dateKey, scope.region());
        byte[] serviceKey = hmac(regionKey, scope.service());
        return hmac(serviceKey, CredentialScope.TERMINATOR);
    }
}
