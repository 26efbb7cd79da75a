package dev.meridian.server;

import dev.meridian.core.ConfigException;
import dev.meridian.core.RegionConfig;
import dev.meridian.core.RegionConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meridian region --config FILE}: runs one region until SIGTERM or Ctrl-C, then stops cleanly. */
@Command(name = "region", mixinStandardHelpOptions = true, description = "Run one region process.")
public final class RegionCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "The region's YAML configuration file.")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        RegionConfig regionConfig;
        try {
            regionConfig = RegionConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println("meridian region: invalid config " + config + ": " + e.getMessage());
            return 2;
        }
        RegionProcess region;
        try {
            region = RegionProcess.start(regionConfig);
        } catch (RuntimeException | LinkageError e) {
            // Exit rather than linger: storage and server threads already started would keep the JVM alive.
            System.err.println("meridian region: " + regionConfig.region() + " failed to start: " + e);
            e.printStackTrace();
            return 1;
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            region.close();
            stopped.countDown();
        }, "region-shutdown"));
        stopped.await();
        return 0;
    }
}
