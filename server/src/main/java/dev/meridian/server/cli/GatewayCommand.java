package dev.meridian.server.cli;

import dev.meridian.gateway.Gateway;
import dev.meridian.gateway.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meridian gateway}: the global endpoint in front of every region (see {@link Gateway}). */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = {"Run the global gateway: one HTTP endpoint for every region's APIs that sends each client to",
            "its nearest healthy region, fails over when a region dies and returns when it recovers.",
            "Its status, health and metrics are under /_meridian/gateway/."})
public final class GatewayCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "The gateway's YAML config (see docs/gateway.md).")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig settings = GatewayConfig.load(config);
        var stopped = new CountDownLatch(1);
        try (Gateway gateway = Gateway.start(settings)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "gateway-shutdown"));
            System.out.println("gateway listening on http://127.0.0.1:" + gateway.port()
                    + gateway.httpsPort().map(p -> " and https://127.0.0.1:" + p).orElse("")
                    + "; regions " + settings.targets().stream().map(t -> t.name()).toList());
            stopped.await();
        }
        return 0;
    }
}
