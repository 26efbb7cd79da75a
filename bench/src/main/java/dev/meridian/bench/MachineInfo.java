package dev.meridian.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a benchmark result must say about where and when it ran: date, cores, CPU, memory, Java, and the load
 * average when it started (other work on a shared machine skews results).
 */
public record MachineInfo(String date, int cores, String cpuModel, String memory, String java, String loadAverage) {
    public static MachineInfo current() {
        return new MachineInfo(
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").format(Instant.now().atZone(ZoneOffset.UTC)),
                Runtime.getRuntime().availableProcessors(),
                procField("/proc/cpuinfo", "model name").orElse("unknown CPU"),
                procField("/proc/meminfo", "MemTotal")
                        .map(kb -> String.format(Locale.ROOT, "%.1f GiB RAM",
                                Long.parseLong(kb.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                        .orElse("unknown RAM"),
                "Java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.vendor") + ")",
                readLoadAverage());
    }

    /** The Markdown lines naming the command, date and machine. */
    public String markdown(String command) {
        return "- Command: `" + command + "`\n"
                + "- Date: " + date + "\n"
                + "- Machine: " + cores + " cores (nproc), " + cpuModel + ", " + memory + ", " + java + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + "\n"
                + "- Load average (1, 5, 15 min) when the run started: " + loadAverage + "\n";
    }

    private static String readLoadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", fields[0], fields[1], fields[2]);
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    private static Optional<String> procField(String file, String name) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            return lines.stream()
                    .filter(line -> line.startsWith(name))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
