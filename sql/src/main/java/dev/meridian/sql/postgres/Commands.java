package dev.meridian.sql.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived tool (initdb, pg_ctl, useradd, chown) to its end, bounded in time. */
final class Commands {
    private Commands() {}

    /**
     * Runs {@code command} in {@code directory} (null: this process's), its output and errors to {@code output};
     * returns its exit code. A tool that outlives {@code timeout} is killed and reported.
     */
    static int run(List<String> command, Path directory, ProcessBuilder.Redirect output, Duration timeout) {
        String tool = Path.of(command.get(0)).getFileName().toString();
        try {
            var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(tool + " did not finish within " + timeout.toSeconds() + " s");
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + tool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + tool, e);
        }
    }
}
