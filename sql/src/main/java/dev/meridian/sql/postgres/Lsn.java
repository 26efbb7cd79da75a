package dev.meridian.sql.postgres;

/**
 * A position in PostgreSQL's write-ahead log, as PostgreSQL prints it ({@code 16/B374D848}: the high and low 32
 * bits in hex) and as a number of bytes from the log's start, so positions compare and subtract.
 */
public record Lsn(long bytes) implements Comparable<Lsn> {
    public static Lsn parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 1 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not a WAL position: '" + text + "' (expected e.g. 16/B374D848)");
        }
        long high = Long.parseLong(text.substring(0, slash), 16);
        long low = Long.parseLong(text.substring(slash + 1), 16);
        if (high > 0xFFFFFFFFL || low > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("not a WAL position: '" + text + "' (each half is at most 32 bits)");
        }
        return new Lsn(high << 32 | low);
    }

    public boolean isBefore(Lsn other) {
        return Long.compareUnsigned(bytes, other.bytes) < 0;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return String.format("%X/%X", bytes >>> 32, bytes & 0xFFFFFFFFL);
    }
}
