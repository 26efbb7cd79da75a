package dev.meridian.fabric;

import dev.meridian.fabric.replication.ApplySink;
import dev.meridian.fabric.wire.Entry;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Feeds replicated entries to the committer. */
final class PipelineSink implements ApplySink {
    private final CommitPipeline pipeline;

    PipelineSink(CommitPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public long head() {
        return pipeline.head();
    }

    @Override
    public long watermark(String origin) {
        return pipeline.watermark(origin);
    }

    @Override
    public CompletableFuture<Long> apply(String origin, List<Entry> entries, long snapshotEnd) {
        return pipeline.submit(new CommitPipeline.RemoteBatch(origin, entries, snapshotEnd, new CompletableFuture<>()));
    }
}
