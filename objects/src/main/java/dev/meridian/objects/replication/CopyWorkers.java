package dev.meridian.objects.replication;

import dev.meridian.objects.ObjectKeys;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded pool of threads taking slots off the {@link CopyQueue} and copying their bytes. A failed copy is retried
 * with exponential backoff up to the cap; after {@code maxAttempts} failures it is recorded FAILED in the ledger and
 * keeps being retried at the cap, so a later success still records COMPLETED.
 */
final class CopyWorkers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CopyWorkers.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);

    private final CopyQueue queue;
    private final BlobCopier copier;
    private final CopyLedger ledger;
    private final ReplicationSettings settings;
    private final Consumer<ObjectKeys.Slot> afterCopy;
    private final ExecutorService threads;

    /** {@code afterCopy} is told of every slot a worker is done with, to look at it again (it may have changed). */
    CopyWorkers(String region, CopyQueue queue, BlobCopier copier, CopyLedger ledger, ReplicationSettings settings,
            Consumer<ObjectKeys.Slot> afterCopy) {
        this.queue = queue;
        this.copier = copier;
        this.ledger = ledger;
        this.settings = settings;
        this.afterCopy = afterCopy;
        var ids = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(settings.workers(), r -> {
            Thread t = new Thread(r, "objects-copy-" + region + "-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        for (int i = 0; i < settings.workers(); i++) {
            threads.execute(this::work);
        }
    }

    private void work() {
        while (!Thread.currentThread().isInterrupted()) {
            ObjectKeys.Slot slot;
            try {
                slot = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                copier.copy(slot);
                queue.finished(slot);
                afterCopy.accept(slot);
            } catch (InterruptedException e) {
                return;
            } catch (BlobCopier.CopyFailedException e) {
                if (threads.isShutdown()) {
                    return;
                }
                failed(slot, e);
            } catch (RuntimeException e) {
                if (threads.isShutdown()) {
                    return;
                }
                int failures = queue.retryLater(slot, this::backoff);
                log.warn("event=object_copy_error bucket={} key=\"{}\" failures={} error=\"{}\"", slot.bucket(),
                        slot.key(), failures, e.getMessage(), e);
            }
        }
    }

    private void failed(ObjectKeys.Slot slot, BlobCopier.CopyFailedException e) {
        int failures = queue.retryLater(slot, this::backoff);
        if (failures == settings.maxAttempts()) {
            ledger.failed(e.version(), e.getMessage());
            log.warn("event=object_copy_failed bucket={} key=\"{}\" blob={} attempts={} retry_every={} error=\"{}\"",
                    slot.bucket(), slot.key(), e.version().object().blobId(), failures, settings.backoffCap(),
                    e.getMessage());
        } else {
            // Quiet: during a partition every queued copy fails; the FAILED record above is what operators see.
            log.debug("event=object_copy_retrying bucket={} key=\"{}\" failures={} error=\"{}\"", slot.bucket(),
                    slot.key(), failures, e.getMessage());
        }
    }

    private Duration backoff(int failures) {
        if (failures >= settings.maxAttempts()) {
            return settings.backoffCap();
        }
        Duration doubled = FIRST_RETRY.multipliedBy(1L << Math.min(failures - 1, 20));
        return doubled.compareTo(settings.backoffCap()) < 0 ? doubled : settings.backoffCap();
    }

    /** Tells every worker to stop, interrupting copies in flight (they start over at the next start). */
    void stop() {
        threads.shutdownNow();
    }

    /** Stops every worker and waits until they have. */
    @Override
    public void close() {
        stop();
        try {
            if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("event=object_copy_workers_still_running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
