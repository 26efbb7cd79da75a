package dev.meridian.gateway.dns;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** The zone's records at one moment, by owner name: every part of one answer comes from the same reading. */
record ZoneRecords(Name apex, Map<Name, List<Record>> byOwner) {

    /** Groups {@code records} by owner; {@link Name} compares case-insensitively, so lookups do too. */
    static ZoneRecords of(Name apex, List<Record> records) {
        return new ZoneRecords(apex, records.stream()
                .collect(Collectors.groupingBy(Record::getName, LinkedHashMap::new, Collectors.toUnmodifiableList())));
    }

    /** The records of {@code type} (every record for {@link Type#ANY}) owned by {@code name}. */
    List<Record> at(Name name, int type) {
        return byOwner.getOrDefault(name, List.of()).stream()
                .filter(rec -> type == Type.ANY || rec.getType() == type)
                .toList();
    }

    /**
     * Whether {@code name} exists, which decides NODATA against NXDOMAIN. A name with no records of its own but
     * records below it ({@code _tcp.<zone>} above the SRV name) exists too (RFC 8020).
     */
    boolean exists(Name name) {
        return byOwner.keySet().stream().anyMatch(owner -> owner.subdomain(name));
    }

    SOARecord soa() {
        return (SOARecord) at(apex, Type.SOA).get(0);
    }
}
