package dev.meridian.client;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a client has seen of the deployment: per region, a position in that region's change log. Every write
 * Meridian acknowledges answers with one (header {@value #HEADER}); a read that sends it back with
 * {@code x-meridian-consistency: session} is served only from a copy that covers it, so a client sees its own
 * writes, and never an older state than it saw before, from any region.
 *
 * <p>On the wire the token is opaque and compact: {@code m1.} and the URL-safe base64 of, per region in name
 * order, the name's length, the name, and the position as a varint.
 */
public final class ConsistencyToken {
    /** The response header carrying the token, and the request header a session read sends it back in. */
    public static final String HEADER = "x-meridian-token";
    /** The request header naming a read's consistency: {@code eventual} (default), {@code session}, {@code global}. */
    public static final String CONSISTENCY_HEADER = "x-meridian-consistency";
    public static final ConsistencyToken EMPTY = new ConsistencyToken(new TreeMap<>());

    private static final String PREFIX = "m1.";
    private static final int MAX_REGIONS = 64;
    private static final int MAX_TEXT = 8192;
    private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final SortedMap<String, Long> positions;

    private ConsistencyToken(SortedMap<String, Long> positions) {
        this.positions = Collections.unmodifiableSortedMap(positions);
    }

    /** A token of these positions (region name to a change-log sequence; zero positions are left out). */
    public static ConsistencyToken of(Map<String, Long> positions) {
        var sorted = new TreeMap<String, Long>();
        positions.forEach((region, position) -> {
            if (!REGION_NAME.matcher(region).matches()) {
                throw new IllegalArgumentException("'" + region + "' is not a region name");
            }
            if (position < 0) {
                throw new IllegalArgumentException("position of " + region + " is negative: " + position);
            }
            if (position > 0) {
                sorted.put(region, position);
            }
        });
        if (sorted.size() > MAX_REGIONS) {
            throw new IllegalArgumentException("a token names at most " + MAX_REGIONS + " regions");
        }
        return new ConsistencyToken(sorted);
    }

    /** Reads a token from its header value; a value Meridian did not write is refused. */
    public static ConsistencyToken parse(String text) {
        if (text.length() > MAX_TEXT || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a Meridian consistency token");
        }
        ByteBuffer bytes;
        try {
            bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(text.substring(PREFIX.length())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Meridian consistency token: " + e.getMessage());
        }
        var positions = new TreeMap<String, Long>();
        try {
            while (bytes.hasRemaining()) {
                byte[] name = new byte[bytes.get() & 0xff];
                bytes.get(name);
                if (positions.put(new String(name, StandardCharsets.US_ASCII), readVarint(bytes)) != null) {
                    throw new IllegalArgumentException("a consistency token names a region twice");
                }
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("a consistency token ends early");
        }
        return of(positions);
    }

    /** The header value. */
    public String encode() {
        var out = new ByteArrayOutputStream();
        positions.forEach((region, position) -> {
            byte[] name = region.getBytes(StandardCharsets.US_ASCII);
            out.write(name.length);
            out.writeBytes(name);
            writeVarint(out, position);
        });
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    /** Per region, the further of the two positions: what a client knows after seeing both. */
    public ConsistencyToken merge(ConsistencyToken other) {
        if (other.positions.isEmpty() || other.equals(this)) {
            return this;
        }
        var merged = new TreeMap<>(positions);
        other.positions.forEach((region, position) -> merged.merge(region, position, Math::max));
        return new ConsistencyToken(merged);
    }

    /** Region name to change-log position, in name order. */
    public SortedMap<String, Long> positions() {
        return positions;
    }

    public boolean isEmpty() {
        return positions.isEmpty();
    }

    private static long readVarint(ByteBuffer bytes) {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            byte b = bytes.get();
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("a position in a consistency token is too long");
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsistencyToken other && positions.equals(other.positions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(positions);
    }

    @Override
    public String toString() {
        return positions.toString();
    }
}
