package dev.meridian.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** The kernel's page cache as a benchmark sees it: a phase should not pay for writes an earlier one deferred. */
final class DirtyPages {
    private static final long TIMEOUT_SECONDS = 300;

    private DirtyPages() {}

    /** Returns once the kernel has written every dirty page out ({@code sync}); fails if that did not happen. */
    static void writeOut() throws IOException, InterruptedException {
        Process sync = new ProcessBuilder("sync").inheritIO().start();
        if (!sync.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            sync.destroyForcibly();
            throw new IOException("sync did not return within " + TIMEOUT_SECONDS + " s");
        }
        if (sync.exitValue() != 0) {
            throw new IOException("sync failed with exit status " + sync.exitValue());
        }
    }
}
