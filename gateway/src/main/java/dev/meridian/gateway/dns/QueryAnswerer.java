package dev.meridian.gateway.dns;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Turns one query in wire format into the zone's answer in wire format, sized for the transport it came over. */
final class QueryAnswerer {
    /** How a query arrived, which bounds the size of its answer. */
    enum Transport { UDP, TCP }

    /** Without EDNS0 a UDP answer holds at most 512 bytes (RFC 1035, section 4.2.1). */
    private static final int PLAIN_UDP_LIMIT = 512;
    /** The largest UDP answer sent even when EDNS0 allows more: larger ones fragment, and fragments get lost. */
    private static final int EDNS_UDP_LIMIT = 1_232;
    private static final int TCP_LIMIT = 65_535;

    private final RegionZone zone;

    QueryAnswerer(RegionZone zone) {
        this.zone = zone;
    }

    /**
     * The answer to {@code packet}, or empty when it gets none: packets too short for a DNS header, and responses
     * (answering those could start a loop between two servers).
     */
    Optional<byte[]> answer(byte[] packet, Transport transport) {
        Header header;
        try {
            header = new Header(packet);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (header.getFlag(Flags.QR)) {
            return Optional.empty();
        }
        Message query;
        try {
            query = new Message(packet);
        } catch (IOException e) {
            return Optional.of(formatError(header));
        }
        return Optional.of(respond(query).toWire(limit(transport, query.getOPT())));
    }

    private Message respond(Message query) {
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            return reply(query, Rcode.NOTIMP);
        }
        List<Record> questions = query.getSection(Section.QUESTION);
        if (questions.size() != 1) {
            return reply(query, Rcode.FORMERR);
        }
        OPTRecord opt = query.getOPT();
        if (opt != null && opt.getVersion() != 0) {
            return reply(query, Rcode.BADVERS);
        }
        Record question = questions.get(0);
        Name name = question.getName();
        int type = question.getType();
        boolean inClass = question.getDClass() == DClass.IN || question.getDClass() == DClass.ANY;
        // Zone transfers are refused: the records change with every health check, so a copy would be stale at once.
        if (!inClass || !name.subdomain(zone.apex()) || type == Type.AXFR || type == Type.IXFR) {
            return reply(query, Rcode.REFUSED);
        }
        ZoneRecords records = zone.read();
        List<Record> answers = records.at(name, type);
        Message response = reply(query, answers.isEmpty() && !records.exists(name) ? Rcode.NXDOMAIN : Rcode.NOERROR);
        response.getHeader().setFlag(Flags.AA);
        for (Record answer : answers) {
            response.addRecord(answer, Section.ANSWER);
            Name target = answer.getAdditionalName();
            if (target != null) {
                records.at(target, Type.A).forEach(rec -> response.addRecord(rec, Section.ADDITIONAL));
                records.at(target, Type.AAAA).forEach(rec -> response.addRecord(rec, Section.ADDITIONAL));
            }
        }
        if (answers.isEmpty()) {
            response.addRecord(records.soa(), Section.AUTHORITY);
        }
        return response;
    }

    /** A response carrying the query's ID, opcode, RD flag and question, and an OPT record if the query had one. */
    private static Message reply(Message query, int rcode) {
        Message response = new Message(query.getHeader().getID());
        copyHeader(query.getHeader(), response.getHeader());
        response.getHeader().setRcode(rcode & 0xF);
        query.getSection(Section.QUESTION).forEach(question -> response.addRecord(question, Section.QUESTION));
        if (query.getOPT() != null) {
            // An extended rcode (BADVERS) keeps its upper bits in the OPT record (RFC 6891, section 6.1.3).
            response.addRecord(new OPTRecord(EDNS_UDP_LIMIT, rcode >>> 4, 0), Section.ADDITIONAL);
        }
        return response;
    }

    /** FORMERR for a packet whose header parsed but whose body did not; there is no question to copy. */
    private static byte[] formatError(Header queryHeader) {
        Message response = new Message(queryHeader.getID());
        copyHeader(queryHeader, response.getHeader());
        response.getHeader().setRcode(Rcode.FORMERR);
        return response.toWire(PLAIN_UDP_LIMIT);
    }

    private static void copyHeader(Header query, Header response) {
        response.setFlag(Flags.QR);
        response.setOpcode(query.getOpcode());
        if (query.getFlag(Flags.RD)) {
            response.setFlag(Flags.RD);
        }
    }

    /** Past this size {@link Message#toWire(int)} drops whole RRsets and sets TC, so the client asks over TCP. */
    private static int limit(Transport transport, OPTRecord queryOpt) {
        if (transport == Transport.TCP) {
            return TCP_LIMIT;
        }
        if (queryOpt == null) {
            return PLAIN_UDP_LIMIT;
        }
        // RFC 6891, section 6.2.5: a payload size below 512 is read as 512.
        return Math.max(PLAIN_UDP_LIMIT, Math.min(queryOpt.getPayloadSize(), EDNS_UDP_LIMIT));
    }
}
