package dev.meridian.bench;

import dev.meridian.sql.postgres.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * pgbench's TPC-B-like write transaction (update an account, insert a history row, commit) at a fixed rate, open
 * loop: transactions are scheduled at fixed intervals and their latency counts from the scheduled start, so a
 * stall is not hidden by the load backing off. After each commit, its WAL position is read on the same connection
 * and handed to {@code commits} with the time the commit was acknowledged.
 */
final class PgbenchLoad {
    static final int ACCOUNTS = 10_000;

    /** A committed transaction: the primary's WAL position just after it, and when its COMMIT was answered. */
    record Commit(Lsn lsn, long acknowledgedNanos) {}

    interface CommitListener {
        void committed(Commit commit);
    }

    private final Supplier<Connection> connections;
    private final int workers;
    private final int ratePerSecond;
    private final CommitListener commits;
    private final Recorder latency = new Recorder(3);
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    PgbenchLoad(Supplier<Connection> connections, int workers, int ratePerSecond, CommitListener commits) {
        this.connections = connections;
        this.workers = workers;
        this.ratePerSecond = ratePerSecond;
        this.commits = commits;
    }

    /** The tables, filled: {@value #ACCOUNTS} accounts. */
    static void createSchema(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS bench_history, bench_accounts");
            statement.execute("CREATE TABLE bench_accounts (aid int PRIMARY KEY, abalance int NOT NULL, filler char(84))");
            statement.execute("CREATE TABLE bench_history (aid int NOT NULL, delta int NOT NULL,"
                    + " mtime timestamptz NOT NULL DEFAULT now())");
            statement.execute("INSERT INTO bench_accounts SELECT g, 0, '' FROM generate_series(1, " + ACCOUNTS + ") g");
            statement.execute("VACUUM ANALYZE bench_accounts");
        }
    }

    long completed() {
        return completed.get();
    }

    long failed() {
        return failed.get();
    }

    /** Latency (µs) of what completed since the last call. */
    Histogram takeLatency() {
        return latency.getIntervalHistogram();
    }

    /** Runs from now until {@code endNanos}. */
    void run(long endNanos) throws InterruptedException {
        BlockingQueue<Long> scheduled = new ArrayBlockingQueue<>(ratePerSecond * 10);
        Thread[] threads = new Thread[workers];
        for (int i = 0; i < workers; i++) {
            threads[i] = new Thread(() -> work(scheduled), "pgbench-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        long interval = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        long next = System.nanoTime();
        while (next < endNanos) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (!scheduled.offer(next)) {
                failed.incrementAndGet(); // ten seconds behind: counted, not queued
            }
            next += interval;
        }
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }

    private void work(BlockingQueue<Long> scheduled) {
        try (Connection db = connections.get();
                PreparedStatement update = db.prepareStatement(
                        "UPDATE bench_accounts SET abalance = abalance + ? WHERE aid = ?");
                PreparedStatement history = db.prepareStatement("INSERT INTO bench_history (aid, delta) VALUES (?, ?)");
                PreparedStatement position = db.prepareStatement("SELECT pg_current_wal_lsn()::text")) {
            db.setAutoCommit(false);
            while (!Thread.currentThread().isInterrupted()) {
                long intended = scheduled.take();
                int aid = ThreadLocalRandom.current().nextInt(1, ACCOUNTS + 1);
                int delta = ThreadLocalRandom.current().nextInt(-5000, 5001);
                try {
                    update.setInt(1, delta);
                    update.setInt(2, aid);
                    update.executeUpdate();
                    history.setInt(1, aid);
                    history.setInt(2, delta);
                    history.executeUpdate();
                    db.commit();
                    long acknowledged = System.nanoTime();
                    latency.recordValue(Math.min((acknowledged - intended) / 1000, Percentiles.MAX_MICROS));
                    completed.incrementAndGet();
                    try (ResultSet row = position.executeQuery()) {
                        row.next();
                        commits.committed(new Commit(Lsn.parse(row.getString(1)), acknowledged));
                    }
                    db.commit();
                } catch (SQLException e) {
                    failed.incrementAndGet();
                    db.rollback();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            Progress.say("a pgbench worker stopped: " + e.getMessage());
        }
    }
}
