package dev.meridian.bench;

import dev.meridian.testkit.LocalCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a child process's peak resident set size (Linux {@code VmHWM}) while it still runs. */
final class PeakRss {
    private PeakRss() {}

    /** The peak RSS of a region's process, found by the config file on its command line. */
    static String ofRegion(LocalCluster cluster, String region) {
        return ofChildWith(cluster.config(region).dataDir().getParent().resolve("region.yaml").toString());
    }

    /** The peak RSS of the child process whose command line contains {@code marker}. */
    static String ofChildWith(String marker) {
        Optional<ProcessHandle> child = ProcessHandle.current().children()
                .filter(p -> commandLine(p.pid()).contains(marker))
                .findFirst();
        return child.map(p -> ofPid(p.pid())).orElse("n/a (process not found)");
    }

    static String ofPid(long pid) {
        try {
            return Files.readAllLines(proc(pid, "status")).stream()
                    .filter(line -> line.startsWith("VmHWM:"))
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
