package dev.meridian.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class FreshnessTest {
    private static final long NOW = Instant.parse("2026-12-02T12:00:00Z").toEpochMilli();
    private static final Duration MAX_STALE = Duration.ofHours(1);

    @Test
    void sharedMaxAgeWinsOverMaxAgeWhichWinsOverExpires() {
        assertThat(lifetimeSeconds(response("cache-control", "max-age=60, s-maxage=30", "expires", date(NOW + 90_000))))
                .isEqualTo(30);
        assertThat(lifetimeSeconds(response("cache-control", "max-age=60", "expires", date(NOW + 90_000)))).isEqualTo(60);
        assertThat(lifetimeSeconds(response("date", date(NOW), "expires", date(NOW + 90_000)))).isEqualTo(90);
        assertThat(lifetimeSeconds(response("expires", "0"))).isZero();
    }

    @Test
    void lastModifiedAloneGivesATenthOfItsAgeCappedAtADay() {
        assertThat(lifetimeSeconds(response("last-modified", date(NOW - 1000_000)))).isEqualTo(100);
        assertThat(lifetimeSeconds(response("last-modified", date(NOW - Duration.ofDays(365).toMillis()))))
                .isEqualTo(Duration.ofDays(1).toSeconds());
    }

    @Test
    void ageCountsTheOriginsAgeTheRoundTripAndTheTimeInTheCache() {
        Freshness freshness = Freshness.of(response("cache-control", "max-age=60", "age", "10"), NOW - 2000, NOW, MAX_STALE);

        assertThat(freshness.ageMillis(NOW + 5000)).isEqualTo(17_000);
        assertThat(freshness.isFresh(NOW + 42_999)).isTrue();
        assertThat(freshness.isFresh(NOW + 48_000)).isFalse();
    }

    @Test
    void requestDirectivesNarrowWhatCountsAsFreshEnough() {
        Freshness freshness = Freshness.of(response("cache-control", "max-age=60"), NOW, NOW, MAX_STALE);

        assertThat(freshness.satisfies(directives(), NOW + 30_000)).isTrue();
        assertThat(freshness.satisfies(directives("cache-control", "no-cache"), NOW + 30_000)).isFalse();
        assertThat(freshness.satisfies(directives("cache-control", "max-age=10"), NOW + 30_000)).isFalse();
        assertThat(freshness.satisfies(directives("cache-control", "min-fresh=40"), NOW + 30_000)).isFalse();
    }

    @Test
    void staleIfErrorOverridesMaxStaleAndMustRevalidateForbidsTheFallback() {
        Freshness explicit = Freshness.of(response("cache-control", "max-age=10, stale-if-error=5"), NOW, NOW, MAX_STALE);
        Freshness fallback = Freshness.of(response("cache-control", "max-age=10"), NOW, NOW, MAX_STALE);
        Freshness strict = Freshness.of(response("cache-control", "max-age=10, must-revalidate"), NOW, NOW, MAX_STALE);

        assertThat(explicit.usableOnError(NOW + 15_000)).isTrue();
        assertThat(explicit.usableOnError(NOW + 16_000)).isFalse();
        assertThat(fallback.usableOnError(NOW + 10_000 + MAX_STALE.toMillis())).isTrue();
        assertThat(strict.usableOnError(NOW + 11_000)).isFalse();
    }

    private static long lifetimeSeconds(ResponseHeaders response) {
        return Freshness.of(response, NOW, NOW, MAX_STALE).lifetimeMillis() / 1000;
    }

    private static ResponseHeaders response(String... headers) {
        var builder = ResponseHeaders.builder(HttpStatus.OK);
        for (int i = 0; i < headers.length; i += 2) {
            builder.add(headers[i], headers[i + 1]);
        }
        return builder.build();
    }

    private static CacheControl directives(String... headers) {
        var builder = RequestHeaders.builder(HttpMethod.GET, "/");
        for (int i = 0; i < headers.length; i += 2) {
            builder.add(headers[i], headers[i + 1]);
        }
        return CacheControl.of(builder.build());
    }

    private static String date(long millis) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC));
    }
}
