package dev.meridian.control;

import java.time.Duration;
import java.util.Optional;

/**
 * One member as this member sees it.
 *
 * @param lastHeartbeat the last heartbeat the group agreed on from that member, if any
 * @param age how long ago this member applied that heartbeat; empty when it has not heard one since it started
 *     (heartbeats replayed from storage after a restart carry no age)
 */
public record MemberView(Optional<Heartbeat> lastHeartbeat, Optional<Duration> age) {}
