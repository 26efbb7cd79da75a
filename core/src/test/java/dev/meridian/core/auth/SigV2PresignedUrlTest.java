package dev.meridian.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.auth.AuthFailure.Reason;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SigV2PresignedUrlTest {
    // The query-string authentication example of AWS's "Signing and authenticating REST requests" (Signature
    // Version 2) guide, with its published signature.
    static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final long EXPIRES = 1175139620;
    static final String QUERY = "AWSAccessKeyId=" + ACCESS_KEY + "&Expires=" + EXPIRES
            + "&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D";

    static SigV2PresignedUrl verifierAt(long epochSecond) {
        return new SigV2PresignedUrl(id -> id.equals(ACCESS_KEY) ? Optional.of(SECRET) : Optional.empty(),
                Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    static SigV4Request get(String rawPath, String rawQuery, String host) {
        return new SigV4Request("GET", rawPath, rawQuery, Map.of("Host", List.of(host)), PayloadDecoder.UNSIGNED_PAYLOAD,
                false);
    }

    @Test
    void awsDocumentationExampleVerifiesVirtualHostedAndPathStyle() {
        var verifier = verifierAt(EXPIRES - 60);
        SigV4Result virtualHosted = verifier.verify(get("/photos/puppy.jpg", QUERY, "johnsmith.s3.amazonaws.com"),
                Optional.of("johnsmith"));
        assertThat(virtualHosted).isInstanceOfSatisfying(Authenticated.class,
                a -> assertThat(a.accessKeyId()).isEqualTo(ACCESS_KEY));
        SigV4Result pathStyle = verifier.verify(get("/johnsmith/photos/puppy.jpg", QUERY, "s3.amazonaws.com"),
                Optional.empty());
        assertThat(pathStyle).isInstanceOf(Authenticated.class);
    }

    @Test
    void anExpiredUrlIsRefusedAsExpired() {
        SigV4Result result = verifierAt(EXPIRES + 1).verify(get("/johnsmith/photos/puppy.jpg", QUERY, "localhost"),
                Optional.empty());
        assertThat(result).isEqualTo(new AuthFailure(Reason.EXPIRED, "Request has expired"));
    }

    @Test
    void anotherResourceOrSubResourceOrKeyIsRefused() {
        var verifier = verifierAt(EXPIRES - 60);
        assertThat(verifier.verify(get("/johnsmith/photos/kitten.jpg", QUERY, "localhost"), Optional.empty()))
                .isInstanceOfSatisfying(AuthFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH));
        assertThat(verifier.verify(get("/johnsmith/photos/puppy.jpg", QUERY + "&versionId=1", "localhost"),
                Optional.empty()))
                .as("a sub-resource is signed").isInstanceOfSatisfying(AuthFailure.class,
                        f -> assertThat(f.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH));
        assertThat(verifier.verify(get("/johnsmith/photos/puppy.jpg", QUERY + "&unrelated=1", "localhost"),
                Optional.empty()))
                .as("other parameters are not").isInstanceOf(Authenticated.class);
        String otherKey = QUERY.replace(ACCESS_KEY, "AKIDUNKNOWN");
        assertThat(verifier.verify(get("/johnsmith/photos/puppy.jpg", otherKey, "localhost"), Optional.empty()))
                .isInstanceOfSatisfying(AuthFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.UNKNOWN_ACCESS_KEY));
    }

    @Test
    void aPlusAProxyDecodedFromPercent2BStillVerifies() {
        // Signed (by Python's hmac) for the path as botocore encodes it, /johnsmith/photos/a%2Bb.jpg.
        String query = "AWSAccessKeyId=" + ACCESS_KEY + "&Expires=" + EXPIRES + "&Signature=Zcez6eQ%2F7ptPxZuaCQ8uJYeFPa4%3D";
        var verifier = verifierAt(EXPIRES - 60);
        assertThat(verifier.verify(get("/johnsmith/photos/a%2Bb.jpg", query, "localhost"), Optional.empty()))
                .isInstanceOf(Authenticated.class);
        assertThat(verifier.verify(get("/johnsmith/photos/a+b.jpg", query, "localhost"), Optional.empty()))
                .isInstanceOf(Authenticated.class);
    }

    @Test
    void signedChunksCannotChainFromIt() {
        var request = new SigV4Request("PUT", "/johnsmith/photos/puppy.jpg", QUERY, Map.of(),
                "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", false);
        assertThat(verifierAt(EXPIRES - 60).verify(request, Optional.empty()))
                .isInstanceOfSatisfying(AuthFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE));
    }

    @Test
    void onlyItsOwnQueryFormIsTakenForIt() {
        assertThat(SigV2PresignedUrl.isPresigned(QUERY)).isTrue();
        assertThat(SigV2PresignedUrl.isPresigned("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ab")).isFalse();
        assertThat(SigV2PresignedUrl.isPresigned("list-type=2&prefix=a")).isFalse();
        assertThat(SigV2PresignedUrl.isPresigned("")).isFalse();
    }
}
