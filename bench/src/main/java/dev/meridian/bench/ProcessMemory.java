package dev.meridian.bench;

import dev.meridian.testkit.LocalCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the processes a benchmark started and reads how much memory they use: the proportional set size (Linux
 * {@code Pss}), not the resident set size, because ZGC maps the heap at three addresses and RSS counts each page
 * once per mapping.
 */
final class ProcessMemory {
    private ProcessMemory() {}

    /** The memory of a region's process. */
    static String ofRegion(LocalCluster cluster, String region) {
        return regionProcess(cluster, region).map(p -> ofPid(p.pid())).orElse("n/a (process not found)");
    }

    /** A region's process, found by the config file on its command line. */
    static Optional<ProcessHandle> regionProcess(LocalCluster cluster, String region) {
        String marker = cluster.config(region).dataDir().getParent().resolve("region.yaml").toString();
        return ProcessHandle.current().children()
                .filter(p -> commandLine(p.pid()).contains(marker))
                .findFirst();
    }

    static String ofPid(long pid) {
        try {
            return Files.readAllLines(proc(pid, "smaps_rollup")).stream()
                    .filter(line -> line.startsWith("Pss:"))
                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024 + " MiB")
                    .findFirst()
                    .orElse("n/a");
        } catch (IOException e) {
            return "n/a (" + e.getMessage() + ")";
        }
    }

    /** Read from /proc: {@code ProcessHandle.Info} truncates the long command lines of JVMs with big class paths. */
    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(proc(pid, "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    private static Path proc(long pid, String file) {
        return Path.of("/proc", Long.toString(pid), file);
    }
}
