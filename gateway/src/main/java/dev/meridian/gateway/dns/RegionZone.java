package dev.meridian.gateway.dns;

import dev.meridian.gateway.RegionDirectory;
import dev.meridian.gateway.RegionTarget;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;

/**
 * Computes the zone's records from the region directory: the apex routed to the nearest healthy region, one name per
 * region ({@code eu-west-1.<zone>}, healthy or not) and {@code _http._tcp.<zone>} listing the regions nearest first.
 */
final class RegionZone {
    private static final Name HTTP_SERVICE = Name.fromConstantString("_http._tcp");
    // Nothing transfers the zone (its records change with every health check), so the SOA timers other than the
    // negative-caching TTL are never used; they only need to be plausible.
    private static final long SERIAL = 1;
    private static final long REFRESH_SECONDS = 3_600;
    private static final long RETRY_SECONDS = 600;
    private static final long EXPIRE_SECONDS = 86_400;

    private final Name apex;
    private final long ttl;
    private final RegionDirectory directory;
    private final Name service;
    private final List<Record> fixed;

    /** {@code nameServerAddresses} is where the responder listens; empty when it listens on every address. */
    RegionZone(Name apex, Duration ttl, List<InetAddress> nameServerAddresses, RegionDirectory directory) {
        this.apex = apex;
        this.ttl = ttl.toSeconds();
        this.directory = directory;
        this.service = inZone(HTTP_SERVICE);
        Name nameServer = inZone(Name.fromConstantString("ns"));
        var records = new ArrayList<Record>();
        // The SOA's minimum is the negative-caching TTL (RFC 2308): NXDOMAIN and NODATA expire as fast as answers.
        records.add(new SOARecord(apex, DClass.IN, this.ttl, nameServer, inZone(Name.fromConstantString("hostmaster")),
                SERIAL, REFRESH_SECONDS, RETRY_SECONDS, EXPIRE_SECONDS, this.ttl));
        records.add(new NSRecord(apex, DClass.IN, this.ttl, nameServer));
        nameServerAddresses.forEach(address -> records.add(addressRecord(nameServer, address)));
        this.fixed = List.copyOf(records);
    }

    Name apex() {
        return apex;
    }

    /** The zone's records as the directory has them now: reads the directory once, resolves each region once. */
    ZoneRecords read() {
        List<RegionTarget> all = directory.all();
        List<RegionTarget> ranked = directory.ranked();
        // Route 53: when every record of a group is unhealthy it counts them all healthy and routes among them by the
        // policy. With nothing healthy there are no latency measurements, so configuration order is the ranking.
        List<RegionTarget> routed = ranked.isEmpty() ? all : ranked;
        var addresses = new LinkedHashMap<RegionTarget, List<InetAddress>>();
        Stream.concat(all.stream(), routed.stream())
                .forEach(region -> addresses.computeIfAbsent(region, this::resolve));

        var records = new ArrayList<>(fixed);
        if (!routed.isEmpty()) {
            addresses.get(routed.get(0)).forEach(address -> records.add(addressRecord(apex, address)));
        }
        int priority = 0;
        for (RegionTarget region : routed) {
            Optional<Name> target = regionName(region);
            if (target.isPresent()) {
                // One region per priority, so the weight has nothing to share out.
                records.add(new SRVRecord(service, DClass.IN, ttl, priority++, 0, region.port(), target.get()));
            }
        }
        addresses.forEach((region, regionAddresses) -> regionName(region).ifPresent(name ->
                regionAddresses.forEach(address -> records.add(addressRecord(name, address)))));
        return ZoneRecords.of(apex, records);
    }

    /** A region's name in the zone; empty when the region's name is not a single DNS label that fits in the zone. */
    private Optional<Name> regionName(RegionTarget region) {
        try {
            Name label = Name.fromString(region.name());
            return label.isAbsolute() || label.labels() != 1
                    ? Optional.empty()
                    : Optional.of(Name.concatenate(label, apex));
        } catch (TextParseException | NameTooLongException e) {
            return Optional.empty();
        }
    }

    /** The addresses of a region's endpoint host; a host name is looked up now, through the JVM's cache. */
    private List<InetAddress> resolve(RegionTarget region) {
        try {
            return List.of(InetAddress.getAllByName(region.host()));
        } catch (UnknownHostException e) {
            // Nothing to give while the host does not resolve: its names answer NODATA, which expires in one TTL.
            return List.of();
        }
    }

    private Record addressRecord(Name owner, InetAddress address) {
        return address instanceof Inet4Address
                ? new ARecord(owner, DClass.IN, ttl, address)
                : new AAAARecord(owner, DClass.IN, ttl, address);
    }

    private Name inZone(Name relative) {
        try {
            return Name.concatenate(relative, apex);
        } catch (NameTooLongException e) {
            throw new IllegalArgumentException(relative + " under " + apex + " is longer than 255 bytes", e);
        }
    }
}
