package dev.meridian.bench;

import static dev.meridian.bench.Percentiles.maxMillis;
import static dev.meridian.bench.Percentiles.millis;
import static dev.meridian.bench.Percentiles.ms;

import dev.meridian.core.RegionConfig.ConsistencySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The consistency benchmark's verdict and its Markdown report: SESSION reads within the pair's one-way delay plus
 * {@link #ALLOWANCE} at p99, GLOBAL reads within the round trip to the farthest region plus the same, and no read of
 * either missing the write before it.
 */
final class ConsistencyReport {
    static final Duration ALLOWANCE = Duration.ofMillis(25);

    /** What the run was asked to do, and how the regions were configured to wait. */
    record Settings(List<String> regions, String delays, int ops, int rate, int warmupReads, Duration warmup,
            Duration maxDuration, int itemBytes, ConsistencySettings consistency) {}

    /** One ordered pair: a write in {@code writer}, then at once a SESSION read, and separately an EVENTUAL one. */
    record PairRun(String writer, String reader, Duration oneWay, ReadAfterWrite.Result session,
            ReadAfterWrite.Result eventual, boolean finished) {
        Duration target() {
            return oneWay.plus(ALLOWANCE);
        }

        boolean met() {
            return session.reads() > 0 && millis(session.readMicros(), 99) <= target().toMillis();
        }
    }

    /** One reading region's GLOBAL reads, each right after a plain write in one of {@code writers}. */
    record ReaderRun(String reader, List<String> writers, String farthest, Duration roundTrip,
            ReadAfterWrite.Result global, boolean finished) {
        Duration target() {
            return roundTrip.plus(ALLOWANCE);
        }

        boolean met() {
            return global.reads() > 0 && millis(global.readMicros(), 99) <= target().toMillis();
        }
    }

    private final Settings settings;
    private final List<PairRun> pairs;
    private final List<ReaderRun> readers;
    private final List<String> failures = new ArrayList<>();

    ConsistencyReport(Settings settings, List<PairRun> pairs, List<ReaderRun> readers) {
        this.settings = settings;
        this.pairs = List.copyOf(pairs);
        this.readers = List.copyOf(readers);
        judge();
    }

    boolean passed() {
        return failures.isEmpty();
    }

    String markdown(String command, MachineInfo machine) {
        var out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "### Consistency: read right after a write in another region,"
                + " %d regions%n%n", settings.regions().size()));
        out.append(machine.markdown(command));
        out.append(String.format(Locale.ROOT, "- Deployment: %d local regions behind the WAN emulator, one-way %s",
                settings.regions().size(), settings.delays()));
        out.append(String.format(Locale.ROOT, "; a SESSION read waits up to %d ms, GLOBAL asks the peers with a %d ms"
                + " timeout (the defaults)%n", settings.consistency().sessionWait().toMillis(),
                settings.consistency().globalPeerTimeout().toMillis()));
        out.append(String.format(Locale.ROOT, "- Load: one operation at a time (PutItem of a %d-byte item, then at once"
                        + " GetItem of its key in another region), at most %d started per second, AWS SDK v2 (Apache"
                        + " HttpClient 5, no retries); %d back-to-back GetItem calls per region, then %d s warmup over"
                        + " every pattern, discarded; then %d operations per pair (per reading region for GLOBAL), at"
                        + " most %d s each%n%n",
                settings.itemBytes(), settings.rate(), settings.warmupReads(), settings.warmup().toSeconds(),
                settings.ops(), settings.maxDuration().toSeconds()));

        out.append("SESSION: writer and reader share one `MeridianSession`;"
                + " GetItem latency in the reading region (ms):\n\n");
        out.append("| write -> read | one-way delay | reads | missed the write | errors | read through |"
                + " p50 | p90 | p99 | p99.9 | max | target p99 |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (PairRun pair : pairs) {
            ReadAfterWrite.Result r = pair.session();
            out.append(String.format(Locale.ROOT, "| %s -> %s | %d | %d | %d | %d | %d | %s | %s |%n", pair.writer(),
                    pair.reader(), pair.oneWay().toMillis(), r.reads(), r.missed(), r.errors(), r.servedElsewhere(),
                    percentiles(r.readMicros()), verdict(pair.target(), pair.met())));
        }

        out.append("\nEVENTUAL, for contrast: the same pattern with plain clients (ms):\n\n");
        out.append("| write -> read | reads | missed the write | share missed | errors | p50 | p99 |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        long eventualReads = 0;
        long eventualMissed = 0;
        for (PairRun pair : pairs) {
            ReadAfterWrite.Result r = pair.eventual();
            eventualReads += r.reads();
            eventualMissed += r.missed();
            out.append(String.format(Locale.ROOT, "| %s -> %s | %d | %d | %s | %d | %s | %s |%n", pair.writer(),
                    pair.reader(), r.reads(), r.missed(), percent(r.missedShare()), r.errors(),
                    ms(millis(r.readMicros(), 50)), ms(millis(r.readMicros(), 99))));
        }

        out.append("\nGLOBAL: a plain PutItem in each other region in turn, then a GLOBAL GetItem; latency in the"
                + " reading region (ms):\n\n");
        out.append("| read in | writes in | farthest peer (round trip) | reads | missed the write | errors"
                + " | named unreachable | p50 | p90 | p99 | p99.9 | max | target p99 |\n");
        out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (ReaderRun reader : readers) {
            ReadAfterWrite.Result r = reader.global();
            out.append(String.format(Locale.ROOT, "| %s | %s | %s (%d ms) | %d | %d | %d | %d | %s | %s |%n",
                    reader.reader(), String.join(", ", reader.writers()), reader.farthest(),
                    reader.roundTrip().toMillis(), r.reads(), r.missed(), r.errors(), r.namedUnreachable(),
                    percentiles(r.readMicros()), verdict(reader.target(), reader.met())));
        }

        long sessionReads = pairs.stream().mapToLong(p -> p.session().reads()).sum();
        long sessionMissed = pairs.stream().mapToLong(p -> p.session().missed()).sum();
        long globalReads = readers.stream().mapToLong(r -> r.global().reads()).sum();
        long globalMissed = readers.stream().mapToLong(r -> r.global().missed()).sum();
        out.append(String.format(Locale.ROOT, "%nMissed writes: SESSION %d of %d reads, GLOBAL %d of %d"
                        + " (both must be 0); EVENTUAL %d of %d (%s).%n", sessionMissed, sessionReads, globalMissed,
                globalReads, eventualMissed, eventualReads,
                percent(eventualReads == 0 ? Double.NaN : eventualMissed / (double) eventualReads)));
        out.append(String.format(Locale.ROOT, "%nTargets: SESSION p99 <= the pair's one-way delay + %d ms;"
                        + " GLOBAL p99 <= the round trip to the farthest region + %d ms;"
                        + " no SESSION or GLOBAL read misses the write: **%s**%n",
                ALLOWANCE.toMillis(), ALLOWANCE.toMillis(), passed() ? "PASS" : "FAIL"));
        failures.forEach(reason -> out.append("- ").append(reason).append('\n'));
        return out.toString();
    }

    private void judge() {
        for (PairRun pair : pairs) {
            String name = "SESSION " + pair.writer() + " -> " + pair.reader();
            judge(name, pair.session(), pair.finished());
            if (pair.session().reads() > 0 && !pair.met()) {
                failures.add(String.format(Locale.ROOT, "%s: p99 %s ms above %d ms", name,
                        ms(millis(pair.session().readMicros(), 99)), pair.target().toMillis()));
            }
            if (pair.session().servedElsewhere() > 0) {
                failures.add(name + ": " + pair.session().servedElsewhere() + " reads were served by another region"
                        + " (the reading region did not catch up within the SESSION wait)");
            }
            if (pair.eventual().errors() > 0) {
                failures.add("EVENTUAL " + pair.writer() + " -> " + pair.reader() + ": " + pair.eventual().errors()
                        + " failed calls, first: " + pair.eventual().firstError().orElse(""));
            }
        }
        for (ReaderRun reader : readers) {
            String name = "GLOBAL in " + reader.reader();
            judge(name, reader.global(), reader.finished());
            if (reader.global().reads() > 0 && !reader.met()) {
                failures.add(String.format(Locale.ROOT, "%s: p99 %s ms above %d ms", name,
                        ms(millis(reader.global().readMicros(), 99)), reader.target().toMillis()));
            }
            if (reader.global().namedUnreachable() > 0) {
                failures.add(name + ": " + reader.global().namedUnreachable() + " reads named a peer unreachable,"
                        + " though no link was cut");
            }
        }
    }

    /** What fails a SESSION or GLOBAL pattern whatever its latency: missed writes, errors, or too few reads. */
    private void judge(String name, ReadAfterWrite.Result result, boolean finished) {
        if (result.missed() > 0) {
            failures.add(name + ": " + result.missed() + " of " + result.reads() + " reads missed the write just"
                    + " acknowledged");
        }
        if (result.errors() > 0) {
            failures.add(name + ": " + result.errors() + " failed calls, first: " + result.firstError().orElse(""));
        }
        if (!finished) {
            failures.add(name + ": stopped at --max-duration " + settings.maxDuration().toSeconds() + " s after "
                    + result.attempted() + " of " + settings.ops() + " operations");
        }
    }

    private static String percentiles(Histogram micros) {
        return String.join(" | ", ms(millis(micros, 50)), ms(millis(micros, 90)), ms(millis(micros, 99)),
                ms(millis(micros, 99.9)), ms(maxMillis(micros)));
    }

    private static String verdict(Duration target, boolean met) {
        return "<= " + target.toMillis() + (met ? " met" : " **not met**");
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
