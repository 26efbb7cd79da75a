package dev.meridian.sql;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A SQL primary fixed by configuration: it never changes and always takes writes. */
final class FixedRoles implements SqlRoles {
    private final Role role;

    FixedRoles(String primary) {
        this.role = new Role(primary, 1);
    }

    @Override
    public Role current() {
        return role;
    }

    @Override
    public boolean holdsWriteLease() {
        return true;
    }

    @Override
    public CompletableFuture<Role> changePrimary(String region, long expectedEpoch, boolean planned) {
        return CompletableFuture.failedFuture(new IllegalStateException("this deployment has no control plane: its"
                + " SQL primary is fixed by configuration (add a control section to every region to change it)"));
    }

    @Override
    public void onChange(Runnable listener) {}

    @Override
    public Optional<Change> lastChange() {
        return Optional.empty();
    }
}
