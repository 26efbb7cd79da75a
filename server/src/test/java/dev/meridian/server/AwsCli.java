package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the real AWS CLI (Debian package {@code awscli}) against a region, as a user at a shell would. */
final class AwsCli {
    /** Debian's CLI, which CI installs; another {@code aws} on PATH (e.g. a pip install) may be older. */
    private static final String EXECUTABLE = java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/aws"))
            ? "/usr/bin/aws"
            : "aws";

    private AwsCli() {}

    /** CI installs the CLI, so there a missing CLI is a failure; on a developer machine the test is skipped. */
    static void requireInstalled() {
        boolean installed;
        try {
            installed = new ProcessBuilder(EXECUTABLE, "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            installed = false;
        }
        if ("true".equals(System.getenv("CI"))) {
            assertThat(installed).as("the AWS CLI (apt-get install awscli) is installed").isTrue();
        }
        Assumptions.assumeTrue(installed, "the AWS CLI is not installed (apt-get install awscli)");
    }

    /** Runs {@code aws <args> --endpoint-url <endpoint> --region <region> --output json} and returns its stdout. */
    static String run(URI endpoint, String region, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(EXECUTABLE));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", endpoint.toString(), "--region", region, "--output", "json"));
        var builder = new ProcessBuilder(command);
        builder.environment().put("AWS_ACCESS_KEY_ID", Sdk.ACCESS_KEY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", Sdk.SECRET_KEY);
        builder.environment().put("AWS_PAGER", "");
        builder.environment().remove("AWS_PROFILE");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("aws %s failed: %s", String.join(" ", args), err).isZero();
        return out;
    }
}
