package dev.meridian.core.auth;

import dev.meridian.core.auth.AuthFailure.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks AWS Signature Version 4 on a request, in the Authorization header form or the presigned query form.
 *
 * <p>Thread-safe: one instance serves every event loop.
 */
public final class SigV4Verifier {
    /** How far a signed request's time may be from ours, as AWS allows. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);
    /** AWS's answer to a request signed both in its Authorization header and in its URL. */
    static final String ONE_MECHANISM_ONLY = "Only one auth mechanism allowed; only the X-Amz-Algorithm query "
            + "parameter, Signature query string parameter or the Authorization header should be specified";

    private final Function<String, Optional<String>> secrets;
    private final Clock clock;
    private final SigningKeys signingKeys = new SigningKeys();

    /**
     * @param secrets the secret access key for an access key id, if that id is configured
     * @param clock the time signatures are checked against
     */
    public SigV4Verifier(Function<String, Optional<String>> secrets, Clock clock) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Verifies one request; never throws for anything the client sent. */
    public SigV4Result verify(SigV4Request request) {
        try {
            return authenticate(request);
        } catch (AuthException e) {
            return e.failure();
        }
    }

    private Authenticated authenticate(SigV4Request request) throws AuthException {
        List<QueryParam> query = QueryParam.parse(request.rawQuery());
        Optional<String> authorization = request.firstHeader("authorization");
        boolean presigned = PresignedQuery.isPresigned(query);
        SignatureParts parts;
        if (authorization.isPresent() && presigned) {
            throw new AuthException(Reason.INCOMPLETE_SIGNATURE, ONE_MECHANISM_ONLY);
        }
        if (authorization.isPresent()) {
            parts = AuthorizationHeader.parse(authorization.get(), request);
        } else if (presigned) {
            parts = PresignedQuery.parse(query);
        } else {
            throw new AuthException(Reason.MISSING_AUTHENTICATION, "Request is missing Authentication Token");
        }
        checkScopeDate(parts);
        checkTime(parts, presigned);
        CredentialScope credential = parts.credential();
        String secret = secrets.apply(credential.accessKeyId()).orElseThrow(() -> new AuthException(
                Reason.UNKNOWN_ACCESS_KEY, "The security token included in the request is invalid."));

        byte[] signingKey = signingKeys.signingKey(secret, credential);
        String expected = signature(signingKey, parts,
                CanonicalRequest.of(request, query, parts.signedHeaders(), presigned));
        // Constant time, so response timing does not reveal how much of a guessed signature was right.
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                parts.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw new AuthException(Reason.SIGNATURE_MISMATCH, "The request signature we calculated does not match the "
                    + "signature you provided. Check your AWS Secret Access Key and signing method. Consult the service "
                    + "documentation for details.");
        }
        return new Authenticated(credential.accessKeyId(), credential.region(), credential.service(),
                new SeedSignature(expected, parts.amzDate(), credential.scope(), signingKey));
    }

    private static String signature(byte[] signingKey, SignatureParts parts, String canonicalRequest) {
        String stringToSign = AuthorizationHeader.ALGORITHM + '\n' + parts.amzDate() + '\n'
                + parts.credential().scope() + '\n' + Sha256.hex(Sha256.of(canonicalRequest));
        return Sha256.hex(SigningKeys.hmac(signingKey, stringToSign));
    }

    /** The hex SHA-256 of a body, as the canonical request's last line carries it. */
    public static String payloadHash(byte[] body) {
        return Sha256.hex(Sha256.of(body));
    }

    // The key is derived from the scope's date, so without this check a request could carry any date it likes.
    private static void checkScopeDate(SignatureParts parts) throws AuthException {
        String requestDay = parts.amzDate().substring(0, 8);
        if (!parts.credential().date().equals(requestDay)) {
            throw new AuthException(Reason.SIGNATURE_MISMATCH, "Date in Credential scope does not match YYYYMMDD from "
                    + "ISO-8601 version of date from HTTP: '" + parts.credential().date() + "' != '" + requestDay
                    + "', from '" + parts.amzDate() + "'.");
        }
    }

    private void checkTime(SignatureParts parts, boolean presigned) throws AuthException {
        Instant now = clock.instant();
        Instant signed = parts.time();
        if (presigned) {
            if (signed.isAfter(now.plus(MAX_CLOCK_SKEW))) {
                throw new AuthException(Reason.EXPIRED, "Request is not yet valid");
            }
            if (now.isAfter(signed.plusSeconds(parts.expiresSeconds()))) {
                throw new AuthException(Reason.EXPIRED, "Request has expired");
            }
        } else if (signed.isBefore(now.minus(MAX_CLOCK_SKEW))) {
            throw new AuthException(Reason.EXPIRED, "Signature expired: " + parts.amzDate() + " is now earlier than "
                    + AmzDate.format(now.minus(MAX_CLOCK_SKEW)) + " (" + AmzDate.format(now) + " - 15 min.)");
        } else if (signed.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw new AuthException(Reason.EXPIRED, "Signature not yet current: " + parts.amzDate() + " is still later than "
                    + AmzDate.format(now.plus(MAX_CLOCK_SKEW)) + " (" + AmzDate.format(now) + " + 15 min.)");
        }
    }
}
