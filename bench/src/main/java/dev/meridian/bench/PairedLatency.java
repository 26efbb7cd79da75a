package dev.meridian.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.HdrHistogram.Histogram;

/**
 * The same statement timed on two connections in alternating rounds, one at a time (closed loop), so both sides
 * see the same machine load: a direct connection to a server, and the same work through the endpoint.
 */
final class PairedLatency {
    /** Prepares the statement on a connection and runs it once with a fresh argument. */
    interface Work {
        PreparedStatement prepare(Connection db) throws SQLException;

        void run(PreparedStatement statement, int iteration) throws SQLException;
    }

    record Result(Histogram direct, Histogram endpoint) {
        /** How much the endpoint adds at the median, in milliseconds. */
        double addedAtMedianMillis() {
            return Percentiles.millis(endpoint, 50) - Percentiles.millis(direct, 50);
        }
    }

    private PairedLatency() {}

    static Result measure(Connection direct, Connection endpoint, Work work, int rounds, int perRound, int warmup)
            throws SQLException {
        Histogram onDirect = Percentiles.newMicros();
        Histogram onEndpoint = Percentiles.newMicros();
        try (PreparedStatement viaDirect = work.prepare(direct); PreparedStatement viaEndpoint = work.prepare(endpoint)) {
            int iteration = 0;
            for (int i = 0; i < warmup; i++) {
                work.run(viaDirect, iteration++);
                work.run(viaEndpoint, iteration++);
            }
            for (int round = 0; round < rounds; round++) {
                iteration = time(work, viaDirect, onDirect, perRound, iteration);
                iteration = time(work, viaEndpoint, onEndpoint, perRound, iteration);
            }
        }
        return new Result(onDirect, onEndpoint);
    }

    private static int time(Work work, PreparedStatement statement, Histogram into, int count, int iteration)
            throws SQLException {
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            work.run(statement, iteration++);
            into.recordValue(Math.min((System.nanoTime() - start) / 1000, Percentiles.MAX_MICROS));
        }
        return iteration;
    }
}
