package dev.meridian.core.auth;

import static dev.meridian.core.auth.SdkSigning.ACCESS_KEY;
import static dev.meridian.core.auth.SdkSigning.SECRET;
import static dev.meridian.core.auth.SdkSigning.SIGNED_AT;
import static dev.meridian.core.auth.SdkSigning.received;
import static dev.meridian.core.auth.SdkSigning.utf8;
import static dev.meridian.core.auth.SdkSigning.withHeader;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.auth.AuthFailure.Reason;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

class SigV4VerifierTest {
    static final URI ENDPOINT = URI.create("http://localhost:8000");
    static final byte[] BODY = utf8("{\"TableName\":\"sessions\",\"Key\":{\"pk\":{\"S\":\"user#1\"}}}");

    static SigV4Verifier verifierAt(Instant now) {
        Map<String, String> secrets = SdkSigning.secrets();
        return new SigV4Verifier(id -> Optional.ofNullable(secrets.get(id)), Clock.fixed(now, ZoneOffset.UTC));
    }

    static SigV4Request signedGetItem() {
        SdkHttpRequest signed = SdkSigning.signHeader(SdkSigning.dynamoDbCall(ENDPOINT, "GetItem"), BODY, "dynamodb",
                ACCESS_KEY, SECRET, SIGNED_AT);
        return received(signed, BODY, true);
    }

    /** Asserts the request verified as signed by the test key for {@code service} in us-east-1. */
    static Authenticated authenticated(SigV4Result result, String service) {
        assertThat(result).isInstanceOf(Authenticated.class);
        Authenticated authenticated = (Authenticated) result;
        assertThat(List.of(authenticated.accessKeyId(), authenticated.region(), authenticated.service()))
                .as("who signed, for which region and service").containsExactly(ACCESS_KEY, "us-east-1", service);
        return authenticated;
    }

    static AuthFailure failure(SigV4Result result) {
        assertThat(result).isInstanceOf(AuthFailure.class);
        return (AuthFailure) result;
    }

    @Test
    void awsDocumentationExampleVerifies() {
        // The IAM ListUsers example from AWS's "Create a signed AWS API request" guide, with its published signature.
        SigV4Request request = new SigV4Request("GET", "/", "Action=ListUsers&Version=2010-05-08", Map.of(
                "Host", List.of("iam.amazonaws.com"),
                "Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"),
                "X-Amz-Date", List.of("20150830T123600Z"),
                "Authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-date, "
                        + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")),
                SigV4Verifier.payloadHash(new byte[0]), true);

        Authenticated authenticated = authenticated(verifierAt(Instant.parse("2015-08-30T12:36:00Z")).verify(request),
                "iam");

        assertThat(authenticated.seed().signature())
                .isEqualTo("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
        assertThat(authenticated.seed().amzDate()).isEqualTo("20150830T123600Z");
        assertThat(authenticated.seed().scope()).isEqualTo("20150830/us-east-1/iam/aws4_request");
    }

    @Test
    void sdkSignedDynamoDbRequestVerifiesWithItsScope() {
        authenticated(verifierAt(SIGNED_AT).verify(signedGetItem()), "dynamodb");
    }

    @Test
    void pathAndQueryNeedingEncodingVerifyForBothPathEncodings() {
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .uri(ENDPOINT)
                .method(SdkHttpMethod.PUT)
                .encodedPath("/bucket/a%20b/c%2Fd/~tilde/%C3%BC%2Bplus")
                .putRawQueryParameter("prefix", "x y/z")
                .putRawQueryParameter("tag", List.of("b", "a"))
                .putRawQueryParameter("versions", (String) null)
                .build();
        for (String service : List.of("s3", "execute-api")) {
            boolean doubleEncode = !service.equals("s3");
            SdkHttpRequest signed = SdkSigning.signHeader(unsigned, BODY, service, ACCESS_KEY, SECRET, SIGNED_AT);

            authenticated(verifierAt(SIGNED_AT).verify(received(signed, BODY, doubleEncode)), service);
            assertThat(failure(verifierAt(SIGNED_AT).verify(received(signed, BODY, !doubleEncode))).reason())
                    .as(service + " with the other path encoding").isEqualTo(Reason.SIGNATURE_MISMATCH);
        }
    }

    @Test
    void dotSegmentsAreRemovedBeforeSigningForServicesOtherThanS3() {
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .uri(ENDPOINT).method(SdkHttpMethod.GET).encodedPath("/a/./b/../c").build();
        SdkHttpRequest signed = SdkSigning.signHeader(unsigned, new byte[0], "execute-api", ACCESS_KEY, SECRET, SIGNED_AT);

        assertThat(verifierAt(SIGNED_AT).verify(received(signed, new byte[0], true))).isInstanceOf(Authenticated.class);
    }

    @Test
    void s3PathVerifiesAsSentWithItsDotSegmentsAndRepeatedSlashes() {
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .uri(ENDPOINT).method(SdkHttpMethod.GET).encodedPath("/bucket//a/./b/../c").build();
        SdkHttpRequest signed = SdkSigning.signHeader(unsigned, new byte[0], "s3", ACCESS_KEY, SECRET, SIGNED_AT);
        SigV4Request received = received(signed, new byte[0], false);
        SigV4Request normalized = new SigV4Request(received.method(), "/bucket/a/c", received.rawQuery(),
                received.headers(), received.payloadHash(), false);

        authenticated(verifierAt(SIGNED_AT).verify(received), "s3");
        assertThat(failure(verifierAt(SIGNED_AT).verify(normalized)).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void tamperedBodyIsASignatureMismatch() {
        SigV4Request request = signedGetItem();
        SigV4Request tampered = new SigV4Request(request.method(), request.rawPath(), request.rawQuery(),
                request.headers(), SigV4Verifier.payloadHash(utf8("{\"TableName\":\"admins\"}")), true);

        AuthFailure failure = failure(verifierAt(SIGNED_AT).verify(tampered));

        assertThat(failure.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(failure.message()).isEqualTo("The request signature we calculated does not match the signature you "
                + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation "
                + "for details.");
    }

    @Test
    void tamperedSignedHeaderIsASignatureMismatch() {
        SigV4Request tampered = withHeader(signedGetItem(), "X-Amz-Target", "DynamoDB_20120810.DeleteTable");

        assertThat(failure(verifierAt(SIGNED_AT).verify(tampered)).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void wrongSecretIsASignatureMismatch() {
        SdkHttpRequest signed = SdkSigning.signHeader(SdkSigning.dynamoDbCall(ENDPOINT, "ListTables"), BODY,
                "dynamodb", ACCESS_KEY, "not-the-secret", SIGNED_AT);

        assertThat(failure(verifierAt(SIGNED_AT).verify(received(signed, BODY, true))).reason())
                .isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void unknownAccessKeyIsUnrecognized() {
        SdkHttpRequest signed = SdkSigning.signHeader(SdkSigning.dynamoDbCall(ENDPOINT, "ListTables"), BODY,
                "dynamodb", "AKIASTRANGER", SECRET, SIGNED_AT);

        assertThat(verifierAt(SIGNED_AT).verify(received(signed, BODY, true))).isEqualTo(new AuthFailure(
                Reason.UNKNOWN_ACCESS_KEY, "The security token included in the request is invalid."));
    }

    @Test
    void requestSignedMoreThanFifteenMinutesAgoHasExpired() {
        assertThat(verifierAt(SIGNED_AT.plus(Duration.ofMinutes(16))).verify(signedGetItem())).isEqualTo(new AuthFailure(
                Reason.EXPIRED, "Signature expired: 20250301T120000Z is now earlier than 20250301T120100Z "
                        + "(20250301T121600Z - 15 min.)"));
    }

    @Test
    void requestSignedMoreThanFifteenMinutesAheadIsNotYetCurrent() {
        assertThat(verifierAt(SIGNED_AT.minus(Duration.ofMinutes(16))).verify(signedGetItem())).isEqualTo(new AuthFailure(
                Reason.EXPIRED, "Signature not yet current: 20250301T120000Z is still later than 20250301T115900Z "
                        + "(20250301T114400Z + 15 min.)"));
    }

    @Test
    void skewWithinFifteenMinutesIsAccepted() {
        assertThat(verifierAt(SIGNED_AT.plus(Duration.ofMinutes(14))).verify(signedGetItem()))
                .isInstanceOf(Authenticated.class);
        assertThat(verifierAt(SIGNED_AT.minus(Duration.ofMinutes(14))).verify(signedGetItem()))
                .isInstanceOf(Authenticated.class);
    }

    @Test
    void requestWithoutAuthenticationIsMissingItsToken() {
        SigV4Request unsigned = new SigV4Request("POST", "/", "", Map.of("Host", List.of("localhost:8000")),
                SigV4Verifier.payloadHash(BODY), true);

        assertThat(verifierAt(SIGNED_AT).verify(unsigned))
                .isEqualTo(new AuthFailure(Reason.MISSING_AUTHENTICATION, "Request is missing Authentication Token"));
    }

    @Test
    void foreignAuthorizationSchemeIsIncompleteAndNamesEveryMissingPart() {
        SigV4Request bearer = new SigV4Request("POST", "/", "", Map.of("Authorization", List.of("Bearer abc.def")),
                SigV4Verifier.payloadHash(BODY), true);

        assertThat(verifierAt(SIGNED_AT).verify(bearer)).isEqualTo(new AuthFailure(Reason.INCOMPLETE_SIGNATURE,
                "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' "
                        + "parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header "
                        + "requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer abc.def"));
    }

    @Test
    void authorizationWithoutSignatureIsIncomplete() {
        String header = authorization(signedGetItem()).replaceAll(", ?Signature=[0-9a-f]+", "");

        AuthFailure failure = failure(verifierAt(SIGNED_AT).verify(withHeader(signedGetItem(), "Authorization", header)));

        assertThat(failure.reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
        assertThat(failure.message())
                .isEqualTo("Authorization header requires 'Signature' parameter. Authorization=" + header);
    }

    @Test
    void authorizationPairWithoutEqualsSignIsIncomplete() {
        String header = authorization(signedGetItem()).replace("Credential=", "Credential ");

        AuthFailure failure = failure(verifierAt(SIGNED_AT).verify(withHeader(signedGetItem(), "Authorization", header)));

        assertThat(failure.reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
        assertThat(failure.message()).startsWith("'Credential " + ACCESS_KEY + "/")
                .endsWith("' not a valid key=value pair (missing equal-sign) in Authorization header: '" + header + "'.");
    }

    @Test
    void credentialWithoutFiveElementsIsIncomplete() {
        String header = authorization(signedGetItem()).replace("/dynamodb/aws4_request", "/dynamodb");

        assertThat(verifierAt(SIGNED_AT).verify(withHeader(signedGetItem(), "Authorization", header)))
                .isEqualTo(new AuthFailure(Reason.INCOMPLETE_SIGNATURE, "Credential must have exactly 5 slash-delimited "
                        + "elements, e.g. keyid/date/region/service/term, got '" + ACCESS_KEY
                        + "/20250301/us-east-1/dynamodb'"));
    }

    @Test
    void credentialWithWrongTerminatorIsIncomplete() {
        String header = authorization(signedGetItem()).replace("/aws4_request", "/aws5_request");

        assertThat(failure(verifierAt(SIGNED_AT).verify(withHeader(signedGetItem(), "Authorization", header))).reason())
                .isEqualTo(Reason.INCOMPLETE_SIGNATURE);
    }

    @Test
    void unsignedHostIsIncomplete() {
        String header = authorization(signedGetItem()).replace("host;", "");

        assertThat(failure(verifierAt(SIGNED_AT).verify(withHeader(signedGetItem(), "Authorization", header))).reason())
                .isEqualTo(Reason.INCOMPLETE_SIGNATURE);
    }

    @Test
    void unparseableAmzDateIsIncomplete() {
        AuthFailure failure = failure(verifierAt(SIGNED_AT).verify(
                withHeader(signedGetItem(), "X-Amz-Date", "2025-03-01T12:00:00Z")));

        assertThat(failure.reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
        assertThat(failure.message()).startsWith("Date must be in ISO-8601 'basic format'. Got '2025-03-01T12:00:00Z'.");
    }

    @Test
    void scopeDateOtherThanTheRequestDateIsAMismatch() {
        String header = authorization(signedGetItem()).replace("/20250301/", "/20250302/");

        assertThat(verifierAt(SIGNED_AT).verify(withHeader(signedGetItem(), "Authorization", header)))
                .isEqualTo(new AuthFailure(Reason.SIGNATURE_MISMATCH, "Date in Credential scope does not match YYYYMMDD "
                        + "from ISO-8601 version of date from HTTP: '20250302' != '20250301', from '20250301T120000Z'."));
    }

    @Test
    void presignedUrlVerifiesUntilItExpires() {
        SigV4Request request = presignedGet();

        authenticated(verifierAt(SIGNED_AT.plus(Duration.ofMinutes(4))).verify(request), "s3");
        assertThat(verifierAt(SIGNED_AT.plus(Duration.ofMinutes(6))).verify(request))
                .isEqualTo(new AuthFailure(Reason.EXPIRED, "Request has expired"));
    }

    @Test
    void presignedUrlFromTheFutureIsNotYetValid() {
        assertThat(verifierAt(SIGNED_AT.minus(Duration.ofMinutes(16))).verify(presignedGet()))
                .isEqualTo(new AuthFailure(Reason.EXPIRED, "Request is not yet valid"));
    }

    @Test
    void tamperedPresignedUrlIsASignatureMismatch() {
        SigV4Request request = presignedGet();
        SigV4Request otherKey = new SigV4Request(request.method(), "/bucket/someone-elses.txt", request.rawQuery(),
                request.headers(), request.payloadHash(), false);
        SigV4Request longerLife = new SigV4Request(request.method(), request.rawPath(),
                request.rawQuery().replace("X-Amz-Expires=300", "X-Amz-Expires=3000"), request.headers(),
                request.payloadHash(), false);

        assertThat(failure(verifierAt(SIGNED_AT).verify(otherKey)).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(failure(verifierAt(SIGNED_AT).verify(longerLife)).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void presignedUrlMissingAParameterIsIncomplete() {
        SigV4Request request = presignedGet();
        SigV4Request withoutExpiry = new SigV4Request(request.method(), request.rawPath(),
                request.rawQuery().replace("X-Amz-Expires=300", ""), request.headers(), request.payloadHash(), false);

        assertThat(failure(verifierAt(SIGNED_AT).verify(withoutExpiry)).reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
    }

    @Test
    void presignedUrlWithAnAuthorizationHeaderTooIsIncomplete() {
        SigV4Request both = withHeader(presignedGet(), "Authorization", authorization(signedGetItem()));

        assertThat(failure(verifierAt(SIGNED_AT).verify(both)).reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
    }

    static SigV4Request presignedGet() {
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .uri(ENDPOINT).method(SdkHttpMethod.GET).encodedPath("/bucket/report%202025.txt").build();
        return received(SdkSigning.presign(unsigned, Duration.ofMinutes(5), SIGNED_AT), SdkSigning.UNSIGNED_PAYLOAD, false);
    }

    static String authorization(SigV4Request request) {
        return request.firstHeader("authorization").orElseThrow();
    }
}
