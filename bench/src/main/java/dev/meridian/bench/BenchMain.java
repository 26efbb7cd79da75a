package dev.meridian.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code meridian bench} command: load generators that print results ready for docs/benchmarks.md. */
@Command(
        name = "meridian bench",
        mixinStandardHelpOptions = true,
        version = "meridian bench 0.1.0",
        description = "Benchmarks Meridian on this machine and prints a Markdown block for docs/benchmarks.md.",
        subcommands = {ReplicationCommand.class, SdkCommand.class, SqlCommand.class, S3Command.class,
                ConsistencyCommand.class, StrongCommand.class, FaultsCommand.class, GatewayCommand.class})
public final class BenchMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Library INFO lines would drown the progress lines; logback.xml reads this before the first logger exists.
        if (System.getProperty("MERIDIAN_LOG_LEVEL") == null && System.getenv("MERIDIAN_LOG_LEVEL") == null) {
            System.setProperty("MERIDIAN_LOG_LEVEL", "WARN");
        }
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command as typed through the launcher, for the report, e.g. {@code ./meridian bench sdk --threads 8}. */
    static String typed(CommandLine.Model.CommandSpec subcommand) {
        return "./meridian bench " + String.join(" ", subcommand.root().commandLine().getParseResult().originalArgs());
    }
}
