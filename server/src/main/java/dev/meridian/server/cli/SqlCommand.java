package dev.meridian.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code meridian sql}: operations on the SQL layer. */
@Command(name = "sql", mixinStandardHelpOptions = true, description = "Operate the SQL layer.",
        subcommands = {SqlCommand.Switchover.class})
public final class SqlCommand implements Runnable {
    @Override
    public void run() {
        System.out.println("usage: meridian sql switchover --to REGION");
    }

    /** {@code meridian sql switchover --to REGION}: a planned change of primary that loses nothing. */
    @Command(name = "switchover", mixinStandardHelpOptions = true,
            description = {"Make REGION the SQL primary, losing nothing: the primary stops taking writes, waits until",
                "REGION has received all of its WAL, then the control plane promotes REGION; the old primary",
                "re-clones itself as a standby."})
    static final class Switchover implements Callable<Integer> {
        private static final Duration TIMEOUT = Duration.ofMinutes(2);

        @Option(names = "--to", required = true, paramLabel = "REGION", description = "The new primary.")
        String to;

        @Mixin
        RegionTargets regions;

        @Override
        public Integer call() throws InterruptedException {
            var client = new JsonClient();
            try {
                for (RegionTargets.Target target : regions.list(client)) {
                    JsonNode sql;
                    try {
                        sql = client.get(target.endpoint().resolve("/_meridian/status")).path("sql");
                    } catch (IOException e) {
                        continue; // an unreachable region is not the one to ask
                    }
                    if ("primary".equals(sql.path("role").asText())) {
                        JsonNode done = client.post(target.endpoint().resolve("/_meridian/sql/switchover?to=" + to),
                                TIMEOUT);
                        System.out.printf("switched over: %s -> %s, epoch %d; nothing lost (the old primary's last WAL"
                                + " position %s was received by %s first)%n", done.path("from").asText(),
                                done.path("to").asText(), done.path("epoch").asLong(), done.path("finalLsn").asText(),
                                done.path("to").asText());
                        return 0;
                    }
                }
                System.err.println("meridian sql switchover: no reachable region is serving as the SQL primary;"
                        + " check `meridian status`");
                return 1;
            } catch (IOException e) {
                System.err.println("meridian sql switchover: " + JsonClient.describe(e));
                return 1;
            }
        }
    }
}
