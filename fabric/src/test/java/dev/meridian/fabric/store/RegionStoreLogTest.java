package dev.meridian.fabric.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

class RegionStoreLogTest {
    @TempDir
    Path dir;

    @Test
    void aLogReadStopsBeforeTheEntryThatWouldPassTheByteBudget() throws Exception {
        try (RegionStore store = RegionStore.open(dir); WriteBatch batch = new WriteBatch()) {
            for (int seq = 1; seq <= 10; seq++) {
                store.putLog(batch, seq, new byte[100 * seq]);
            }
            store.writeDurably(batch);

            assertThat(store.readLog(1, 512, 600)).extracting(e -> e.length).containsExactly(100, 200, 300);
            assertThat(store.readLog(4, 2, Long.MAX_VALUE)).extracting(e -> e.length).containsExactly(400, 500);
            // An entry larger than the budget still goes, alone: the log must never stall on it.
            assertThat(store.readLog(10, 512, 50)).extracting(e -> e.length).containsExactly(1000);
        }
    }
}
