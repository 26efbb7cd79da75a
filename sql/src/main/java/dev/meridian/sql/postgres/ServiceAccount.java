package dev.meridian.sql.postgres;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating-system user PostgreSQL runs as. PostgreSQL refuses to run as root, so when Meridian itself runs as
 * root (containers, CI) PostgreSQL runs as the system user {@value #NAME}, created on first use; otherwise it runs
 * as Meridian's own user.
 */
final class ServiceAccount {
    static final String NAME = "meridian-postgres";
    private static final Logger log = LoggerFactory.getLogger(ServiceAccount.class);

    private final boolean switchUser;

    private ServiceAccount(boolean switchUser) {
        this.switchUser = switchUser;
    }

    static ServiceAccount forThisProcess() {
        boolean root = new UnixSystem().getUid() == 0;
        if (root) {
            ensureUserExists();
        }
        return new ServiceAccount(root);
    }

    /** {@code args} as a command that runs as this account. */
    List<String> command(List<String> args) {
        if (!switchUser) {
            return args;
        }
        var command = new ArrayList<>(List.of("runuser", "-u", NAME, "--"));
        command.addAll(args);
        return command;
    }

    /**
     * Gives this account {@code dir} (created if missing) and a way to reach it: every ancestor must be
     * traversable by it, so one that is not gets search permission for others (not read).
     */
    void own(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (!switchUser) {
            return;
        }
        for (Path ancestor = dir.toAbsolutePath().getParent(); ancestor != null; ancestor = ancestor.getParent()) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(ancestor);
            if (permissions.add(PosixFilePermission.OTHERS_EXECUTE)) {
                Files.setPosixFilePermissions(ancestor, permissions);
                log.info("event=directory_made_traversable dir={} for={}", ancestor, NAME);
            }
        }
        run(List.of("chown", "-R", NAME + ":", dir.toString()));
    }

    private static void ensureUserExists() {
        if (run(List.of("id", "-u", NAME)) == 0) {
            return;
        }
        int exit = run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", NAME));
        if (exit != 0 && run(List.of("id", "-u", NAME)) != 0) { // another region may have created it meanwhile
            throw new IllegalStateException("PostgreSQL cannot run as root and creating the user " + NAME
                    + " failed (useradd exit " + exit + "): create it, or run Meridian as a non-root user");
        }
        log.info("event=service_user_created user={}", NAME);
    }

    private static int run(List<String> command) {
        return Commands.run(command, null, ProcessBuilder.Redirect.DISCARD, Duration.ofSeconds(30));
    }
}
