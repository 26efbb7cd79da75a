package dev.meridian.core.auth;

import dev.meridian.core.auth.AuthFailure.Reason;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The {@code SignedHeaders} list, which must cover {@code host} so a signature cannot be replayed to another host. */
final class SignedHeaders {
    private SignedHeaders() {}

    static List<String> parse(String signedHeaders) throws AuthException {
        List<String> names = Arrays.stream(signedHeaders.split(";"))
                .map(name -> name.trim().toLowerCase(Locale.ROOT))
                .filter(name -> !name.isEmpty())
                .toList();
        if (!names.contains("host")) {
            throw new AuthException(Reason.INCOMPLETE_SIGNATURE,
                    "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        return names;
    }
}
