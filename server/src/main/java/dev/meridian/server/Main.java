package dev.meridian.server;

import dev.meridian.server.cli.ChaosCommand;
import dev.meridian.server.cli.GatewayCommand;
import dev.meridian.server.cli.LocalCommand;
import dev.meridian.server.cli.RepairCommand;
import dev.meridian.server.cli.SqlCommand;
import dev.meridian.server.cli.StatusCommand;
import dev.meridian.server.cli.WitnessCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code meridian} executable: one region, a whole local deployment, or tools that talk to them. */
@Command(
        name = "meridian",
        mixinStandardHelpOptions = true,
        version = "meridian 0.1.0",
        description = "A multi-region, active-active data platform with AWS-compatible APIs.",
        footer = {"", "Benchmarks and the fault harness: meridian bench --help  (see docs/benchmarks.md)"},
        subcommands = {RegionCommand.class, LocalCommand.class, StatusCommand.class, ChaosCommand.class,
                RepairCommand.class, SqlCommand.class, WitnessCommand.class, GatewayCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Ratis's shaded Netty ships its own version file, which Armeria misreads as a second Netty on the
        // class path; the warning it logs at start-up is a false positive.
        System.setProperty("com.linecorp.armeria.warnNettyVersions", "false");
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
