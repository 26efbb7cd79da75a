package dev.meridian.sql;

import dev.meridian.control.ControlPlane;
import dev.meridian.control.SqlRole;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The SQL primary as the control plane agrees it. */
final class AgreedRoles implements SqlRoles {
    private final ControlPlane control;

    AgreedRoles(ControlPlane control) {
        this.control = control;
    }

    @Override
    public Role current() {
        return role(control.sqlRole());
    }

    @Override
    public boolean holdsWriteLease() {
        return control.holdsWriteLease();
    }

    @Override
    public CompletableFuture<Role> changePrimary(String region, long expectedEpoch, boolean planned) {
        return control.changePrimary(region, expectedEpoch, planned).thenApply(AgreedRoles::role);
    }

    @Override
    public void onChange(Runnable listener) {
        control.onSqlRoleChange(role -> listener.run());
    }

    @Override
    public Optional<Change> lastChange() {
        return control.lastFailover().map(f -> new Change(f.from(), f.to(), f.epoch(), f.planned(),
                f.rpoBytesEstimate()));
    }

    @Override
    public void close() {
        control.close();
    }

    private static Role role(SqlRole role) {
        return new Role(role.primary(), role.epoch());
    }
}
