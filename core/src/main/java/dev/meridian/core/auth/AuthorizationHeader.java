package dev.meridian.core.auth;

import dev.meridian.core.auth.AuthFailure.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}. */
final class AuthorizationHeader {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private AuthorizationHeader() {}

    static SignatureParts parse(String header, SigV4Request request) throws AuthException {
        Map<String, String> params = params(header);
        String credential = params.get("Credential");
        String signedHeaders = params.get("SignedHeaders");
        String signature = params.get("Signature");
        Optional<String> amzDate = request.firstHeader("x-amz-date");
        Optional<String> httpDate = request.firstHeader("date");

        // AWS names every missing part at once, in this order, then quotes the header.
        List<String> missing = new ArrayList<>();
        if (credential == null) {
            missing.add("Authorization header requires 'Credential' parameter.");
        }
        if (signature == null) {
            missing.add("Authorization header requires 'Signature' parameter.");
        }
        if (signedHeaders == null) {
            missing.add("Authorization header requires 'SignedHeaders' parameter.");
        }
        if (amzDate.isEmpty() && httpDate.isEmpty()) {
            missing.add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        if (!missing.isEmpty()) {
            throw new AuthException(Reason.INCOMPLETE_SIGNATURE,
                    String.join(" ", missing) + " Authorization=" + header);
        }
        String date = amzDate.isPresent() ? amzDate.get() : AmzDate.fromHttpDate(httpDate.get());
        return new SignatureParts(CredentialScope.parse(credential), date, AmzDate.parse(date),
                SignedHeaders.parse(signedHeaders), signature, 0);
    }

    private static Map<String, String> params(String header) throws AuthException {
        int space = header.indexOf(' ');
        Map<String, String> params = new HashMap<>();
        // Another scheme (SigV2's "AWS id:sig", a bearer token) has none of SigV4's parameters.
        if (space < 0 || !header.substring(0, space).equals(ALGORITHM)) {
            return params;
        }
        for (String part : header.substring(space + 1).split(",")) {
            String pair = part.trim();
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new AuthException(Reason.INCOMPLETE_SIGNATURE, "'" + pair
                        + "' not a valid key=value pair (missing equal-sign) in Authorization header: '" + header + "'.");
            }
            params.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return params;
    }
}
