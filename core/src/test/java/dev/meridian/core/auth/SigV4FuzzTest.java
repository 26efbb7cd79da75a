package dev.meridian.core.auth;

import static dev.meridian.core.auth.SdkSigning.ACCESS_KEY;
import static dev.meridian.core.auth.SdkSigning.SECRET;
import static dev.meridian.core.auth.SdkSigning.SIGNED_AT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.auth.SdkSigning.Sent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Correctly signed requests, changed at random: the verifier always answers with a result and never throws, and any
 * change to a part the signature covers is refused. aws-chunked bodies with damaged framing or headers are refused
 * only with {@link PayloadException}, never another exception, and never decode to something else.
 */
class SigV4FuzzTest {
    private static final SigV4Verifier VERIFIER = SigV4VerifierTest.verifierAt(SIGNED_AT);
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern SIGNED_HEADERS = Pattern.compile("SignedHeaders=([^,\\s]*)");
    private static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "HEAD", "PATCH");

    /** One correctly signed request of each form the verifier takes. */
    private static final List<SigV4Request> SIGNED = signedRequests();

    private static List<SigV4Request> signedRequests() {
        SdkHttpRequest withPathAndQuery = SdkHttpRequest.builder()
                .uri(SigV4VerifierTest.ENDPOINT)
                .method(SdkHttpMethod.PUT)
                .encodedPath("/bucket/a%20b/c%2Fd/~tilde/%C3%BC%2Bplus")
                .putHeader("x-amz-meta-note", "two  spaces\tand a tab")
                .putRawQueryParameter("prefix", "x y/z")
                .putRawQueryParameter("tag", List.of("b", "a"))
                .putRawQueryParameter("versions", (String) null)
                .build();
        SdkHttpRequest presignable = SdkHttpRequest.builder()
                .uri(SigV4VerifierTest.ENDPOINT)
                .method(SdkHttpMethod.GET)
                .encodedPath("/bucket/report%202025.txt")
                .putRawQueryParameter("response-content-type", "text/plain")
                .build();
        byte[] body = SigV4VerifierTest.BODY;
        return List.of(
                SigV4VerifierTest.signedGetItem(),
                SdkSigning.received(SdkSigning.signHeader(withPathAndQuery, body, "s3", ACCESS_KEY, SECRET, SIGNED_AT),
                        body, false),
                SdkSigning.received(SdkSigning.signHeader(withPathAndQuery, body, "execute-api", ACCESS_KEY, SECRET,
                        SIGNED_AT), body, true),
                SdkSigning.received(SdkSigning.presign(presignable, Duration.ofMinutes(5), SIGNED_AT),
                        SdkSigning.UNSIGNED_PAYLOAD, false));
    }

    @Example
    void everyStartingRequestVerifies() {
        for (SigV4Request request : SIGNED) {
            assertThat(VERIFIER.verify(request)).as(describe(request)).isInstanceOf(Authenticated.class);
        }
    }

    @Property(tries = 1500)
    void anyChangeToASignedPartIsRefused(@ForAll("signed") SigV4Request signed, @ForAll("tampers") Change tamper) {
        SigV4Request tampered = tamper.apply(signed);

        SigV4Result result = verify(tampered);

        assertThat(result).as("%s of %s", tamper, describe(tampered)).isInstanceOf(AuthFailure.class);
    }

    @Property(tries = 2500)
    void anyDamageYieldsAResultNeverAnException(@ForAll("signed") SigV4Request signed,
            @ForAll("damages") List<Change> damages) {
        SigV4Request damaged = signed;
        for (Change damage : damages) {
            damaged = damage.apply(damaged);
        }

        verify(damaged);
        try {
            PayloadDecoder.s3PayloadHash(damaged.headers(), damaged.rawQuery());
        } catch (PayloadException refused) {
            // a header S3 does not accept
        } catch (RuntimeException e) {
            throw new AssertionError("s3PayloadHash threw for " + describe(damaged), e);
        }
    }

    /** SigV4 trims header values and collapses runs of spaces, so changing only those keeps the signature good. */
    @Property(tries = 300)
    void whitespaceAroundAndInsideSignedHeaderValuesIsNotSigned(@ForAll("signed") SigV4Request signed,
            @ForAll("whitespace") String before, @ForAll("whitespace") String after, @ForAll int which) {
        // The time is parsed, not only signed; HTTP stacks strip whitespace around values before we see them anyway.
        List<String> names = signedHeaders(signed).stream().filter(n -> !n.equals("x-amz-date")).toList();
        String name = names.get(Math.floorMod(which, names.size()));
        String value = signed.header(name).get(0);
        String padded = before + value.replace(" ", " " + after.replaceAll("[^ \t]", "")) + after;

        assertThat(verify(SdkSigning.withHeader(signed, name, padded))).as("%s: '%s'", name, padded)
                .isInstanceOf(Authenticated.class);
    }

    private static SigV4Result verify(SigV4Request request) {
        try {
            SigV4Result result = VERIFIER.verify(request);
            assertThat(result).as("result for %s", describe(request)).isNotNull();
            return result;
        } catch (RuntimeException e) {
            throw new AssertionError("verify threw for " + describe(request), e);
        }
    }

    // ---- changes to a request ----

    /**
     * One change to a request: which, where ({@code at} picks among the candidates), an alphanumeric {@code word}
     * for changes that must alter what is signed, and arbitrary {@code noise} for those that need not.
     */
    record Change(Kind kind, int at, String word, String noise) {
        /** The first kinds change a signed part, so the request must be refused; the rest are damage of any sort. */
        enum Kind {
            SIGNED_HEADER_INSERT, SIGNED_HEADER_REPLACED, SIGNED_HEADER_REMOVED, SIGNED_HEADER_SECOND_VALUE,
            PAYLOAD_HASH, METHOD, PATH_INSERT, QUERY_VALUE_INSERT, QUERY_ADDED, QUERY_REMOVED, CREDENTIAL, SIGNATURE,
            SIGNED_HEADER_LIST, DATE_SHIFTED,
            NOISE_HEADER_VALUE, NOISE_HEADER_ADDED, HEADER_DUPLICATED, HEADER_EMPTIED, HEADER_DROPPED, NOISE_PATH,
            NOISE_QUERY, NOISE_AUTHORIZATION, AUTHORIZATION_REORDERED, NOISE_DATE, NOISE_PRESIGNED_PARAM,
            NOISE_METHOD;

            boolean tampers() {
                return ordinal() <= DATE_SHIFTED.ordinal();
            }
        }

        @Override
        public String toString() {
            return kind + "@" + at + (kind.tampers() ? " '" + word + "'" : " '" + shown(noise) + "'");
        }

        SigV4Request apply(SigV4Request request) {
            return switch (kind) {
                case SIGNED_HEADER_INSERT -> {
                    String name = pick(signedHeaders(request));
                    String value = request.header(name).isEmpty() ? "" : request.header(name).get(0);
                    int position = Math.floorMod(at, value.length() + 1);
                    yield SdkSigning.withHeader(request, name, value.substring(0, position) + word
                            + value.substring(position));
                }
                case SIGNED_HEADER_REPLACED -> {
                    String name = pick(signedHeaders(request));
                    yield SdkSigning.withHeader(request, name, request.header(name).contains(word) ? word + word : word);
                }
                case SIGNED_HEADER_REMOVED -> withHeaders(request, headers -> headers.remove(pick(signedHeaders(request))));
                case SIGNED_HEADER_SECOND_VALUE -> withHeaders(request, headers ->
                        headers.computeIfAbsent(pick(signedHeaders(request)), n -> new ArrayList<>()).add(word));
                case PAYLOAD_HASH -> new SigV4Request(request.method(), request.rawPath(), request.rawQuery(),
                        request.headers(), SigV4Verifier.payloadHash(word.getBytes(StandardCharsets.UTF_8)),
                        request.doubleEncodePath());
                case METHOD -> new SigV4Request(pick(METHODS.stream().filter(m -> !m.equals(request.method())).toList()),
                        request.rawPath(), request.rawQuery(), request.headers(), request.payloadHash(),
                        request.doubleEncodePath());
                case PATH_INSERT -> {
                    String path = request.rawPath();
                    int position = pick(outsideEscapes(path));
                    yield withPath(request, path.substring(0, position) + word + path.substring(position));
                }
                case QUERY_VALUE_INSERT -> {
                    List<String> pairs = pairs(request.rawQuery());
                    List<Integer> values = IntStream.range(0, pairs.size())
                            .filter(i -> !name(pairs.get(i)).isEmpty() && !name(pairs.get(i)).equals("X-Amz-Signature"))
                            .boxed().toList();
                    if (values.isEmpty()) {
                        yield new Change(Kind.PAYLOAD_HASH, at, word, noise).apply(request);
                    }
                    int index = pick(values);
                    String pair = pairs.get(index);
                    String valued = pair.contains("=") ? pair : pair + "=";
                    int eq = valued.indexOf('=');
                    String value = valued.substring(eq + 1);
                    int position = pick(outsideEscapes(value));
                    pairs.set(index, valued.substring(0, eq + 1) + value.substring(0, position) + word
                            + value.substring(position));
                    yield withQuery(request, String.join("&", pairs));
                }
                case QUERY_ADDED -> withQuery(request, (request.rawQuery().isEmpty() ? "" : request.rawQuery() + "&")
                        + "q" + word + "=" + word);
                case QUERY_REMOVED -> {
                    List<String> pairs = pairs(request.rawQuery());
                    List<Integer> named = IntStream.range(0, pairs.size())
                            .filter(i -> !name(pairs.get(i)).isEmpty()).boxed().toList();
                    if (named.isEmpty()) {
                        yield new Change(Kind.METHOD, at, word, noise).apply(request);
                    }
                    pairs.remove((int) pick(named));
                    yield withQuery(request, String.join("&", pairs));
                }
                case CREDENTIAL -> changeAuthorization(request, "Credential", "X-Amz-Credential", credential -> {
                    String[] parts = credential.split("/", -1);
                    int part = Math.floorMod(at, parts.length);
                    parts[part] = part == 1 ? shiftedDay(parts[part]) : parts[part] + word;
                    return String.join("/", parts);
                });
                case SIGNATURE -> changeAuthorization(request, "Signature", "X-Amz-Signature", signature -> {
                    if (signature.isEmpty()) { // an earlier damage emptied it
                        return "0";
                    }
                    int position = Math.floorMod(at, signature.length());
                    char was = signature.charAt(position);
                    return signature.substring(0, position) + (was == '0' ? '1' : '0') + signature.substring(position + 1);
                });
                case SIGNED_HEADER_LIST -> changeAuthorization(request, "SignedHeaders", "X-Amz-SignedHeaders", list -> {
                    List<String> names = new ArrayList<>(Arrays.asList(list.split(";")));
                    if (Math.floorMod(at, 2) == 0 && names.size() > 1) {
                        names.remove(Math.floorMod(at / 2, names.size()));
                    } else {
                        names.add("x-" + word.toLowerCase(Locale.ROOT));
                    }
                    return String.join(";", names);
                });
                case DATE_SHIFTED -> {
                    long seconds = (1 + Math.floorMod(at, 600)) * (word.length() % 2 == 0 ? 1L : -1L);
                    String shifted = AMZ_DATE.format(SIGNED_AT.plusSeconds(seconds));
                    yield PresignedQuery.isPresigned(QueryParam.parse(request.rawQuery()))
                            ? withQuery(request, request.rawQuery().replaceFirst("X-Amz-Date=[^&]*", "X-Amz-Date=" + shifted))
                            : SdkSigning.withHeader(request, "x-amz-date", shifted);
                }
                case NOISE_HEADER_VALUE -> SdkSigning.withHeader(request, pick(headerNames(request)), noise);
                case NOISE_HEADER_ADDED -> withHeaders(request, headers ->
                        headers.computeIfAbsent(noise.isEmpty() ? word : noise, n -> new ArrayList<>()).add(noise));
                case HEADER_DUPLICATED -> withHeaders(request, headers -> {
                    List<String> values = headers.get(pick(List.copyOf(headers.keySet())));
                    values.addAll(List.copyOf(values));
                });
                case HEADER_EMPTIED -> SdkSigning.withHeader(request, pick(headerNames(request)), "");
                case HEADER_DROPPED -> withHeaders(request, headers -> headers.remove(pick(List.copyOf(headers.keySet()))));
                case NOISE_PATH -> {
                    String path = request.rawPath();
                    int position = Math.floorMod(at, path.length() + 1);
                    yield withPath(request, path.substring(0, position) + noise + path.substring(position));
                }
                case NOISE_QUERY -> {
                    String query = request.rawQuery();
                    int position = Math.floorMod(at, query.length() + 1);
                    yield withQuery(request, query.substring(0, position) + noise + query.substring(position));
                }
                case NOISE_AUTHORIZATION -> {
                    String authorization = request.header("authorization").isEmpty()
                            ? "AWS4-HMAC-SHA256 Credential=" + noise : request.header("authorization").get(0);
                    int position = Math.floorMod(at, authorization.length() + 1);
                    yield SdkSigning.withHeader(request, "authorization", authorization.substring(0, position) + noise
                            + authorization.substring(Math.min(authorization.length(), position + word.length())));
                }
                case AUTHORIZATION_REORDERED -> {
                    String authorization = request.header("authorization").isEmpty()
                            ? "AWS4-HMAC-SHA256 " + noise : request.header("authorization").get(0);
                    List<String> pieces = new ArrayList<>(Arrays.asList(authorization.split("[ ,]+")));
                    java.util.Collections.rotate(pieces, at);
                    if (at % 3 == 0 && !pieces.isEmpty()) {
                        pieces.add(pieces.get(Math.floorMod(at, pieces.size())));
                    }
                    yield SdkSigning.withHeader(request, "authorization", String.join(at % 2 == 0 ? "," : " ", pieces));
                }
                case NOISE_DATE -> at % 2 == 0
                        ? SdkSigning.withHeader(request, "x-amz-date", pick(DATES))
                        : withQuery(request, request.rawQuery().replaceFirst("X-Amz-Date=[^&]*", "X-Amz-Date=" + pick(DATES)));
                case NOISE_PRESIGNED_PARAM -> {
                    String param = pick(List.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date",
                            "X-Amz-SignedHeaders", "X-Amz-Expires"));
                    String value = at % 3 == 0 ? noise : pick(PRESIGNED_VALUES);
                    String query = request.rawQuery().contains(param + "=")
                            ? request.rawQuery().replaceFirst(param + "=[^&]*", Matcher.quoteReplacement(param + "=" + value))
                            : request.rawQuery() + "&" + param + "=" + value;
                    yield withQuery(request, query);
                }
                case NOISE_METHOD -> new SigV4Request(noise, request.rawPath(), request.rawQuery(), request.headers(),
                        request.payloadHash(), request.doubleEncodePath());
            };
        }

        private <T> T pick(List<T> choices) {
            return choices.get(Math.floorMod(at, choices.size()));
        }

        /** Changes a part of the credential, in the Authorization header or in a presigned URL's query. */
        private SigV4Request changeAuthorization(SigV4Request request, String headerPart, String queryParam,
                java.util.function.UnaryOperator<String> change) {
            if (!request.header("authorization").isEmpty()) {
                String header = request.header("authorization").get(0);
                Matcher part = Pattern.compile(headerPart + "=([^,\\s]*)").matcher(header);
                if (part.find()) {
                    return SdkSigning.withHeader(request, "authorization", header.substring(0, part.start(1))
                            + change.apply(part.group(1)) + header.substring(part.end(1)));
                }
            }
            List<String> pairs = pairs(request.rawQuery());
            for (int i = 0; i < pairs.size(); i++) {
                if (name(pairs.get(i)).equals(queryParam)) {
                    String value = UriEncoding.decode(pairs.get(i).substring(pairs.get(i).indexOf('=') + 1));
                    pairs.set(i, queryParam + "=" + UriEncoding.encode(change.apply(value)));
                }
            }
            return withQuery(request, String.join("&", pairs));
        }

        private static String shiftedDay(String day) {
            return day.equals("20250301") ? "20250302" : "20250301";
        }
    }

    private static final List<String> DATES = List.of("", "20250301T120000", "20250301T120000z", "2025-03-01T12:00:00Z",
            "99991231T235959Z", "+1000000000101T000000Z", "-99990101T000000Z", "20250230T120000Z", "20250301T246000Z",
            "00000000T000000Z", "20250301T120000ZZ", "Sat, 01 Mar 2025 12:00:00 GMT", "\u0661\u0662T000000Z");

    private static final List<String> PRESIGNED_VALUES = List.of("", "-1", "0", "604801", "abc", "+300",
            "99999999999999999999999", "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512", "AKIDEXAMPLE%2F20250301%2Fus-east-1",
            "AKIDEXAMPLE%2F20250301%2Fus-east-1%2Fs3%2Faws4_request%2Fextra", "host", ";;", "%", "%ZZ", "%C3%28",
            "20250301T120000Z", "0".repeat(64));

    private static String describe(SigV4Request request) {
        return request.method() + " " + shown(request.rawPath()) + "?" + shown(request.rawQuery()) + " "
                + shown(request.headers().toString()) + " payload " + request.payloadHash();
    }

    private static String shown(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "...(" + text.length() + " chars)" : text;
    }

    /** The lowercase names the request says it signed, from its Authorization header or its presigned query. */
    static List<String> signedHeaders(SigV4Request request) {
        String list = request.header("authorization").stream().map(SIGNED_HEADERS::matcher).filter(Matcher::find)
                .map(m -> m.group(1)).findFirst()
                .orElseGet(() -> QueryParam.parse(request.rawQuery()).stream()
                        .filter(p -> p.name().equals("X-Amz-SignedHeaders")).map(QueryParam::value).findFirst()
                        .orElse("host"));
        List<String> names = Arrays.stream(list.split(";")).filter(name -> !name.isEmpty()).toList();
        return names.isEmpty() ? List.of("host") : names;
    }

    /** The request's header names; {@code host} when it has none left. */
    private static List<String> headerNames(SigV4Request request) {
        return request.headers().isEmpty() ? List.of("host") : List.copyOf(request.headers().keySet());
    }

    /** Positions in {@code raw} where inserting text does not split a percent-escape. */
    private static List<Integer> outsideEscapes(String raw) {
        return IntStream.rangeClosed(0, raw.length())
                .filter(i -> !(i >= 1 && raw.charAt(i - 1) == '%') && !(i >= 2 && raw.charAt(i - 2) == '%'))
                .boxed().toList();
    }

    private static List<String> pairs(String rawQuery) {
        return new ArrayList<>(Arrays.stream(rawQuery.split("&")).filter(p -> !p.isEmpty()).toList());
    }

    private static String name(String pair) {
        int eq = pair.indexOf('=');
        return UriEncoding.decode(eq < 0 ? pair : pair.substring(0, eq));
    }

    private static SigV4Request withPath(SigV4Request request, String path) {
        return new SigV4Request(request.method(), path, request.rawQuery(), request.headers(), request.payloadHash(),
                request.doubleEncodePath());
    }

    private static SigV4Request withQuery(SigV4Request request, String query) {
        return new SigV4Request(request.method(), request.rawPath(), query, request.headers(), request.payloadHash(),
                request.doubleEncodePath());
    }

    private static SigV4Request withHeaders(SigV4Request request,
            java.util.function.Consumer<Map<String, List<String>>> change) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
        if (!headers.isEmpty()) {
            change.accept(headers);
        }
        return new SigV4Request(request.method(), request.rawPath(), request.rawQuery(), headers, request.payloadHash(),
                request.doubleEncodePath());
    }

    @Provide
    Arbitrary<SigV4Request> signed() {
        return Arbitraries.of(SIGNED);
    }

    @Provide
    Arbitrary<Change> tampers() {
        return changes(Arbitraries.of(Arrays.stream(Change.Kind.values()).filter(Change.Kind::tampers).toList()));
    }

    @Provide
    Arbitrary<List<Change>> damages() {
        return changes(Arbitraries.of(Change.Kind.class)).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> whitespace() {
        return Arbitraries.strings().withChars(" \t").ofMaxLength(4);
    }

    private static Arbitrary<Change> changes(Arbitrary<Change.Kind> kinds) {
        Arbitrary<String> words = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> noise = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().ofMaxLength(16)),
                Tuple.of(2, Arbitraries.strings().withChars("%/.&=;,: \t\r\n\u0000\u00ff").ofMaxLength(8)),
                Tuple.of(2, Arbitraries.of("", " ", "%", "%G1", "%C3%28", "%00", "/..", "//", "/./", "?", "#", "&&", "==",
                        "X-Amz-Algorithm=AWS4-HMAC-SHA256", "Credential=", "Signature=", "SignedHeaders=;",
                        "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 ", "\uD800", "\uFFFF", "é", "\uD83D\uDE42")),
                Tuple.of(1, Arbitraries.integers().between(1, 20_000).map("x"::repeat)));
        return Combinators.combine(kinds, Arbitraries.integers(), words, noise).as(Change::new);
    }

    // ---- aws-chunked bodies ----

    /** An SDK-streamed PUT and the request the S3 layer verified for it. */
    record Upload(PayloadDecoderTest.Streaming form, byte[] object, Sent sent, SigV4Request request,
            Authenticated authenticated) {
        @Override
        public String toString() {
            return form + " of " + object.length + " bytes";
        }
    }

    private static final List<Upload> UPLOADS = streamedUploads();

    private static List<Upload> streamedUploads() {
        var uploads = new ArrayList<Upload>();
        for (PayloadDecoderTest.Streaming form : PayloadDecoderTest.Streaming.values()) {
            for (int size : List.of(0, 100, 140_000)) {
                byte[] object = PayloadDecoderTest.object(size);
                Sent sent = form.send(object);
                SigV4Request request = PayloadDecoderTest.verifiedByS3(sent);
                uploads.add(new Upload(form, object, sent, request, PayloadDecoderTest.authenticated(request)));
            }
        }
        return List.copyOf(uploads);
    }

    /** One change to a body: where ({@code at}, biased to the framing at either end), what, and bytes to insert. */
    record BodyDamage(Kind kind, int at, int length, byte[] bytes) {
        enum Kind { FLIP, TRUNCATE, DELETE, INSERT, DUPLICATE, SIZE_LINE }

        byte[] apply(byte[] body) {
            if (body.length == 0) {
                return bytes;
            }
            int position = position(body);
            int end = Math.min(body.length, position + length);
            return switch (kind) {
                case FLIP -> {
                    byte[] damaged = body.clone();
                    damaged[position] ^= (byte) (1 + Math.floorMod(length, 255));
                    yield damaged;
                }
                case TRUNCATE -> Arrays.copyOf(body, position);
                case DELETE -> concat(Arrays.copyOf(body, position), Arrays.copyOfRange(body, end, body.length));
                case INSERT -> concat(Arrays.copyOf(body, position), bytes, Arrays.copyOfRange(body, position, body.length));
                case DUPLICATE -> concat(Arrays.copyOf(body, end), Arrays.copyOfRange(body, position, end),
                        Arrays.copyOfRange(body, end, body.length));
                case SIZE_LINE -> {
                    // Replaces a chunk's hex size (the digits before a ';' or CRLF at a line start) with other text.
                    int line = lineStart(body, position);
                    int digits = line;
                    while (digits < body.length && isHex(body[digits])) {
                        digits++;
                    }
                    yield concat(Arrays.copyOf(body, line), bytes, Arrays.copyOfRange(body, digits, body.length));
                }
            };
        }

        /** A third of the damage lands in the first 120 bytes, a third in the last 300, a third anywhere. */
        private int position(byte[] body) {
            int spot = Math.floorMod(at, 1 << 20);
            return switch (Math.floorMod(at, 3)) {
                case 0 -> spot % Math.min(body.length, 120);
                case 1 -> body.length - 1 - spot % Math.min(body.length, 300);
                default -> spot % body.length;
            };
        }

        private static int lineStart(byte[] body, int from) {
            for (int i = from; i > 0; i--) {
                if (body[i - 1] == '\n') {
                    return i;
                }
            }
            return 0;
        }

        private static boolean isHex(byte b) {
            return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
        }

        @Override
        public String toString() {
            return kind + "@" + at + "+" + length + " " + new String(bytes, StandardCharsets.ISO_8859_1)
                    .replace("\r", "\\r").replace("\n", "\\n");
        }
    }

    /** A change to the headers that describe an aws-chunked body; NONE leaves them as signed. */
    record HeaderDamage(String header, String value) {
        SigV4Request apply(SigV4Request request) {
            return switch (header) {
                case "none" -> request;
                case "payload" -> new SigV4Request(request.method(), request.rawPath(), request.rawQuery(),
                        request.headers(), value, false);
                default -> SdkSigning.withHeader(request, header, value);
            };
        }
    }

    @Property(tries = 1500)
    void damagedChunkedBodiesAreRefusedOnlyWithPayloadException(@ForAll("uploads") Upload upload,
            @ForAll("bodyDamages") List<BodyDamage> damages, @ForAll("headerDamages") HeaderDamage headerDamage,
            @ForAll("readSizes") int readSize) {
        byte[] body = upload.sent().body();
        for (BodyDamage damage : damages) {
            body = damage.apply(body);
        }
        SigV4Request request = headerDamage.apply(upload.request());
        PayloadDecoder decoder;
        try {
            decoder = PayloadDecoder.open(new ByteArrayInputStream(body), request, upload.authenticated());
        } catch (PayloadException refused) {
            return;
        } catch (RuntimeException e) {
            throw new AssertionError("open threw other than PayloadException", e);
        }

        byte[] decoded;
        try {
            decoded = readAll(decoder, readSize, body.length);
        } catch (PayloadException refused) {
            assertRefusedAgain(decoder);
            return;
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("read threw other than PayloadException", e);
        }

        if (request.payloadHash().startsWith("STREAMING-")) {
            String declared = request.header("x-amz-decoded-content-length").get(0);
            assertThat(decoded.length).as("bytes decoded against x-amz-decoded-content-length")
                    .isEqualTo(Long.parseLong(declared));
        }
        if (request.payloadHash().equals(upload.form().contentSha256) && upload.form().payloadSigning) {
            assertThat(decoded).as("a signed body decoded from damaged bytes").isEqualTo(upload.object());
        }
        assertThat(decoder.trailers()).isNotNull();
    }

    private static byte[] readAll(PayloadDecoder decoder, int readSize, int bodyLength) throws IOException {
        var out = new ByteArrayOutputStream();
        byte[] buffer = new byte[readSize];
        // Every read returns at least one byte or ends the body, so this many reads must reach the end.
        for (int reads = 0; reads <= bodyLength + 2; reads++) {
            int n = readSize == 1 ? singleByte(decoder, buffer) : decoder.read(buffer, 0, buffer.length);
            if (n < 0) {
                return out.toByteArray();
            }
            assertThat(n).as("bytes from one read").isPositive();
            out.write(buffer, 0, n);
        }
        throw new AssertionError("still reading after " + (bodyLength + 2) + " reads of a " + bodyLength + "-byte body");
    }

    private static int singleByte(PayloadDecoder decoder, byte[] buffer) throws IOException {
        int b = decoder.read();
        if (b < 0) {
            return -1;
        }
        buffer[0] = (byte) b;
        return 1;
    }

    private static void assertRefusedAgain(PayloadDecoder decoder) {
        try {
            decoder.read(new byte[16], 0, 16);
        } catch (PayloadException again) {
            return;
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("a later read threw other than PayloadException", e);
        }
        throw new AssertionError("a read after a refusal did not repeat it");
    }

    @Provide
    Arbitrary<Upload> uploads() {
        return Arbitraries.of(UPLOADS);
    }

    @Provide
    Arbitrary<List<BodyDamage>> bodyDamages() {
        Arbitrary<byte[]> bytes = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("0", ";", "\r\n", "\r", "\n", ":", "0\r\n\r\n", "chunk-signature=",
                        ";chunk-signature=" + "0".repeat(64), "x-amz-checksum-crc32:", "x-amz-trailer-signature:",
                        "ffffffff", "1000000", "10000", "00000000", "-1", "+5", " 5", "5 ", "").map(s ->
                        s.getBytes(StandardCharsets.US_ASCII))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(12)));
        return Combinators.combine(Arbitraries.of(BodyDamage.Kind.class), Arbitraries.integers(),
                Arbitraries.integers().between(1, 70), bytes).as(BodyDamage::new).list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<HeaderDamage> headerDamages() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(new HeaderDamage("none", ""))),
                Tuple.of(2, Arbitraries.of("", "-1", "abc", "+0", "0", "99", "100", "101", "139999", "140001",
                        "9223372036854775807", "99999999999999999999").map(v ->
                        new HeaderDamage("x-amz-decoded-content-length", v))),
                Tuple.of(1, Arbitraries.of("", ",", "x-amz-checksum-crc32, x-amz-checksum-crc32",
                        "X-AMZ-CHECKSUM-CRC32", "x-amz-checksum-sha256", "x-amz-checksum-crc32,x-amz-trailer-signature")
                        .map(v -> new HeaderDamage("x-amz-trailer", v))),
                Tuple.of(1, Arbitraries.of("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
                        "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "UNSIGNED-PAYLOAD", "0".repeat(64))
                        .map(v -> new HeaderDamage("payload", v))));
    }

    @Provide
    Arbitrary<Integer> readSizes() {
        return Arbitraries.of(1, 3, 8192, 70_000);
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }
}
