package dev.meridian.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meridian chaos cut|heal|blackhole|delay A B [MS]}: breaks or slows the WAN between two local regions. */
@Command(
        name = "chaos",
        mixinStandardHelpOptions = true,
        description = {
            "Change the emulated WAN between regions A and B (both directions) of a running `meridian local`:",
            "  cut        reset every connection and refuse new ones",
            "  blackhole  keep connections open but carry nothing, like a lost route",
            "  heal       carry bytes again (held bytes are delivered)",
            "  delay      set the one-way delay to MS milliseconds"
        })
public final class ChaosCommand implements Callable<Integer> {
    private static final List<String> ACTIONS = List.of("cut", "heal", "blackhole", "delay");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ACTION", description = "cut, heal, blackhole or delay.")
    String action;

    @Parameters(index = "1", paramLabel = "A", description = "One region, e.g. us-east-1.")
    String regionA;

    @Parameters(index = "2", paramLabel = "B", description = "The other region, e.g. eu-west-1.")
    String regionB;

    @Parameters(index = "3", arity = "0..1", paramLabel = "MS", description = "One-way delay in ms (delay only).")
    Long millis;

    @Option(names = "--control", paramLabel = "URL", defaultValue = ControlServer.DEFAULT_URL,
            description = "The control API of `meridian local` (default: ${DEFAULT-VALUE}).")
    URI control;

    @Override
    public Integer call() throws InterruptedException {
        String query = validate();
        URI uri = control.resolve("/links/" + regionA + "/" + regionB + "/" + action + query);
        JsonNode links;
        try {
            links = new JsonClient().post(uri);
        } catch (IOException e) {
            System.err.println("meridian chaos: " + action + " failed: " + JsonClient.describe(e)
                    + (e instanceof ConnectException
                            ? " (is `meridian local` running? its control API is at " + control + ")"
                            : ""));
            return 1;
        }
        for (JsonNode link : links) {
            System.out.printf("%s -> %s  %s  delay %d ms one way%n", link.path("from").asText(),
                    link.path("to").asText(), link.path("state").asText(), link.path("forwardDelayMs").asLong());
        }
        return 0;
    }

    /** Checks the arguments picocli cannot, answering the query string the action needs. */
    private String validate() {
        if (!ACTIONS.contains(action)) {
            throw new ParameterException(spec.commandLine(), "unknown action '" + action + "'; use one of " + ACTIONS);
        }
        if (action.equals("delay") != (millis != null)) {
            throw new ParameterException(spec.commandLine(), action.equals("delay")
                    ? "delay needs MS, the one-way delay in milliseconds, e.g. `chaos delay us-east-1 eu-west-1 150`"
                    : action + " takes no MS argument");
        }
        if (millis != null && millis < 0) {
            throw new ParameterException(spec.commandLine(), "MS must not be negative");
        }
        return millis == null ? "" : "?ms=" + millis;
    }
}
