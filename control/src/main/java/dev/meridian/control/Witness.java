package dev.meridian.control;

import java.util.Map;

/**
 * A control-plane member without a PostgreSQL server: it votes and keeps the log, so two regions plus a witness
 * still make a majority of three when one region is lost. It reports itself not eligible, so it never becomes the
 * SQL primary, yet while it leads the group it runs the failover monitor like any member.
 */
public final class Witness implements AutoCloseable {
    private final ControlPlane member;

    private Witness(ControlPlane member) {
        this.member = member;
    }

    public static Witness start(ControlSettings settings) {
        return new Witness(ControlPlane.start(settings, () -> Heartbeat.NOT_ELIGIBLE));
    }

    public SqlRole sqlRole() {
        return member.sqlRole();
    }

    public Map<String, MemberView> members() {
        return member.members();
    }

    public boolean isLeader() {
        return member.isLeader();
    }

    @Override
    public void close() {
        member.close();
    }
}
