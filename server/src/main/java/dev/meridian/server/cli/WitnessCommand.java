package dev.meridian.server.cli;

import dev.meridian.control.ControlSettings;
import dev.meridian.control.Witness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian witness}: a control-plane member that runs no data layer, only votes and keeps the log, so a
 * deployment of two regions still has a majority when one of them is lost.
 */
@Command(name = "witness", mixinStandardHelpOptions = true,
        description = {"Run a control-plane witness: it votes on who the SQL primary is and on strong tables' writes,",
            "so two regions keep a majority when one is lost.",
            "Name it in every region's config (control.witness) with the address that region reaches it at."})
public final class WitnessCommand implements Callable<Integer> {
    @Option(names = "--name", defaultValue = "witness", description = "Its member name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--port", required = true, description = "The port it listens on.")
    int port;

    @Option(names = "--data-dir", required = true, description = "Where it keeps the control plane's log.")
    Path dataDir;

    @Option(names = "--member", required = true, paramLabel = "REGION=HOST:PORT", mapFallbackValue = "",
            description = "Every region's control-plane address, as this witness reaches it; repeat per region.")
    Map<String, String> members;

    @Option(names = "--initial-primary", paramLabel = "REGION",
            description = "The SQL primary before any change (the regions' sql.primary); omit without the SQL layer.")
    String initialPrimary;

    @Option(names = "--failover-timeout", defaultValue = "10s", converter = DelayConverter.class,
            description = "As the regions' control.failoverTimeout (default: ${DEFAULT-VALUE}).")
    Duration failoverTimeout;

    @Override
    public Integer call() throws InterruptedException {
        List<String> all = new ArrayList<>(members.keySet());
        all.add(name);
        var settings = new ControlSettings(name, dataDir, members, port, all, initialPrimary, failoverTimeout,
                ControlSettings.DEFAULT_HEARTBEAT_INTERVAL);
        var stopped = new CountDownLatch(1);
        try (Witness witness = Witness.start(settings)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "witness-shutdown"));
            System.out.println("witness " + name + " listening on " + port + "; members " + all);
            stopped.await();
        }
        return 0;
    }
}
