package dev.meridian.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One region of a {@link LocalCluster} as an operating-system process, with its output appended to a log file. */
final class RegionJvm {
    private static final Logger log = LoggerFactory.getLogger(RegionJvm.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final int LOG_TAIL_LINES = 40;

    private final String region;
    private final URI endpoint;
    private final Path logFile;
    private final List<String> command;
    /** The running process, replaced on restart; guarded by {@code this}. */
    private Process process;

    RegionJvm(String region, URI endpoint, Path logFile, List<String> command) {
        this.region = region;
        this.endpoint = endpoint;
        this.logFile = logFile;
        this.command = List.copyOf(command);
    }

    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("region " + region + " is already running (pid " + process.pid() + ")");
        }
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new RegionStartException("cannot launch region " + region + " (" + command.get(0) + "): "
                    + e.getMessage(), e);
        }
        log.debug("region launched region={} pid={} log={}", region, process.pid(), logFile);
    }

    /** Polls {@code GET /health} until it answers 200; fails fast, with the log's tail, if the process exits. */
    void awaitHealthy(long deadlineNanos) throws InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(endpoint.resolve("/health")).timeout(Duration.ofSeconds(2)).build();
        long started = System.nanoTime();
        String lastProblem = "no answer yet";
        while (System.nanoTime() < deadlineNanos) {
            Process current = current();
            if (!current.isAlive()) {
                throw failure("exited with code " + current.exitValue() + " before answering " + health.uri());
            }
            try {
                int status = HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    log.info("region healthy region={} endpoint={} ms={}", region, endpoint,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                    return;
                }
                lastProblem = "last answer was HTTP " + status;
            } catch (IOException e) {
                lastProblem = "last attempt failed: " + e;
            }
            Thread.sleep(100);
        }
        throw failure("did not answer GET " + health.uri() + " with 200 in time (" + lastProblem + ")");
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Sends SIGTERM without waiting, so a whole cluster can shut down in parallel. */
    synchronized void requestStop() {
        if (process != null) {
            process.destroy();
        }
    }

    /** Waits until the process has exited, killing it with SIGKILL if it is still running at the deadline. */
    void awaitExit(long deadlineNanos) throws InterruptedException {
        Process current = current();
        if (current == null) {
            return;
        }
        long wait = Math.max(0, deadlineNanos - System.nanoTime());
        if (!current.waitFor(wait, TimeUnit.NANOSECONDS)) {
            log.warn("region did not stop after SIGTERM, killing it region={} pid={}", region, current.pid());
            current.destroyForcibly().waitFor();
        }
    }

    /** SIGKILL: the process gets no chance to flush or say goodbye, as in a crash. */
    void kill() throws InterruptedException {
        Process current = current();
        if (current != null) {
            current.destroyForcibly().waitFor();
            log.info("region killed region={} pid={}", region, current.pid());
        }
    }

    /** Sends {@code SIGSTOP} (freeze: {@code true}) or {@code SIGCONT}, as a stalled VM or a long GC pause would. */
    void signalPause(boolean freeze) throws InterruptedException {
        Process current = current();
        if (current == null || !current.isAlive()) {
            return;
        }
        try {
            int exit = new ProcessBuilder("kill", freeze ? "-STOP" : "-CONT", Long.toString(current.pid()))
                    .inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill " + (freeze ? "-STOP" : "-CONT") + " failed for " + region);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        log.info("region {} region={} pid={}", freeze ? "paused" : "resumed", region, current.pid());
    }

    private synchronized Process current() {
        return process;
    }

    private RegionStartException failure(String what) {
        return new RegionStartException("region " + region + " " + what + "; see " + logFile + ", which ends:\n"
                + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
