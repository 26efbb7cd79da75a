package dev.meridian.bench;

import dev.meridian.sql.postgres.Lsn;
import dev.meridian.sql.postgres.WalPositions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.concurrent.PriorityBlockingQueue;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * One standby's replication lag per transaction: it polls the standby's replayed WAL position about every
 * millisecond, and a commit's lag is the time from its acknowledgement on the primary to the first poll that found
 * it replayed (so visible to reads on the standby). A replay seen before the acknowledgement counts as 0.
 */
final class ReplayLagProbe implements PgbenchLoad.CommitListener, AutoCloseable {
    private final String region;
    private final Connection standby;
    private final PriorityBlockingQueue<PgbenchLoad.Commit> pending =
            new PriorityBlockingQueue<>(1024, Comparator.comparing(PgbenchLoad.Commit::lsn));
    private final Recorder lag = new Recorder(3);
    private final Thread poller;
    private volatile boolean stopped;

    ReplayLagProbe(String region, Connection standby) {
        this.region = region;
        this.standby = standby;
        this.poller = new Thread(this::poll, "lag-probe-" + region);
        this.poller.setDaemon(true);
        this.poller.start();
    }

    String region() {
        return region;
    }

    @Override
    public void committed(PgbenchLoad.Commit commit) {
        pending.add(commit);
    }

    /** Lag (µs) of the commits found replayed since the last call. */
    Histogram takeLag() {
        return lag.getIntervalHistogram();
    }

    int unreplayed() {
        return pending.size();
    }

    private void poll() {
        while (!stopped) {
            try {
                Lsn replayed = WalPositions.replayed(standby);
                long seen = System.nanoTime();
                PgbenchLoad.Commit head;
                while ((head = pending.peek()) != null && !replayed.isBefore(head.lsn())) {
                    pending.poll();
                    lag.recordValue(Math.min(Math.max(0, seen - head.acknowledgedNanos()) / 1000, Percentiles.MAX_MICROS));
                }
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                Progress.say("lag probe for " + region + ": " + e.getMessage());
                return;
            }
        }
    }

    @Override
    public void close() throws SQLException {
        stopped = true;
        poller.interrupt();
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        standby.close();
    }
}
