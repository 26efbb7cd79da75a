package dev.meridian.tables;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Gives each test a fresh {@link TablesHarness} in its own temp directory, closed afterwards. */
abstract class TablesTestCase {
    @TempDir
    Path dir;

    TablesHarness h;

    @BeforeEach
    void openHarness() {
        h = new TablesHarness(dir);
    }

    @AfterEach
    void closeHarness() {
        h.close();
    }
}
