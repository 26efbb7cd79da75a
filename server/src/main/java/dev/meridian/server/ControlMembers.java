package dev.meridian.server;

import dev.meridian.control.ControlSettings;
import dev.meridian.core.RegionConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A region's control-plane member, from its config: every region is a member, and the witness when there is one. */
final class ControlMembers {
    private ControlMembers() {}

    static ControlSettings of(RegionConfig config) {
        RegionConfig.Control control = config.controlSettings().orElseThrow();
        Map<String, String> addresses = new HashMap<>();
        List<String> members = new ArrayList<>(List.of(config.region()));
        for (RegionConfig.Peer peer : config.peers()) {
            addresses.put(peer.name(), peer.controlAddress());
            members.add(peer.name());
        }
        if (control.witness() != null) {
            addresses.put(control.witness().name(), control.witness().address());
            members.add(control.witness().name());
        }
        return new ControlSettings(config.region(), config.dataDir().resolve("control"), addresses, control.port(),
                members, config.sqlSettings().map(RegionConfig.SqlSettings::primary).orElse(null), control.failoverTimeout(),
                control.heartbeatInterval());
    }
}
