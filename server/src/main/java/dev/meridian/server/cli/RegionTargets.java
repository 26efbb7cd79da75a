package dev.meridian.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The regions a CLI command talks to, as options it mixes in: listed by a running {@code meridian local}
 * ({@code --control}), or named by their endpoints ({@code --endpoints}).
 */
final class RegionTargets {
    /** A region to ask: its name when the control API told it, else its endpoint's host:port. */
    record Target(String label, URI endpoint) {}

    @Option(names = "--control", paramLabel = "URL", defaultValue = ControlServer.DEFAULT_URL,
            description = "The control API of `meridian local` that lists the regions (default: ${DEFAULT-VALUE}).")
    URI control;

    @Option(names = "--endpoints", split = ",", paramLabel = "URL",
            description = "Region HTTP endpoints to ask instead, e.g. http://127.0.0.1:8101,http://127.0.0.1:8102.")
    List<URI> endpoints;

    List<Target> list(JsonClient client) throws IOException, InterruptedException {
        if (endpoints != null) {
            return endpoints.stream().map(uri -> new Target(uri.getHost() + ":" + uri.getPort(), uri)).toList();
        }
        List<Target> targets = new ArrayList<>();
        for (JsonNode region : client.get(control.resolve("/regions"))) {
            targets.add(new Target(region.path("name").asText(), URI.create(region.path("endpoint").asText())));
        }
        return targets;
    }

    /**
     * The regions, or empty after telling the user on standard error why they could not be listed ({@code command}
     * names the command in that message).
     */
    /** Where `meridian local`'s gateway is when the regions come from its control API (control port + 8). */
    Optional<URI> localGateway() {
        if (endpoints != null && !endpoints.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(URI.create(control.getScheme() + "://" + control.getHost() + ":"
                + (control.getPort() + LocalCommand.GATEWAY_OFFSET)));
    }

    Optional<List<Target>> listOrExplain(JsonClient client, String command) throws InterruptedException {
        try {
            return Optional.of(list(client));
        } catch (IOException e) {
            System.err.println("meridian " + command + ": cannot list regions from " + control + ": "
                    + JsonClient.describe(e) + (e instanceof ConnectException
                            ? ". Is `meridian local` running? Otherwise name regions with --endpoints." : ""));
            return Optional.empty();
        }
    }
}
