package dev.meridian.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an object size written as {@code 4KiB}, {@code 1MiB}, {@code 512B} or a bare number of bytes (KB and MB are
 * read as KiB and MiB), and writes sizes back the same way for reports.
 */
final class ObjectSizeConverter implements ITypeConverter<Integer> {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|k|mb|mib|m)?");
    private static final int KIB = 1024;
    private static final int MIB = 1024 * 1024;
    /** Room for the key stamped at the start of every body ({@link ObjectBodies}). */
    static final int MIN_BYTES = 64;
    /** Each client thread holds two bodies in memory; a bigger object is a multipart upload's job anyway. */
    static final int MAX_BYTES = 16 * MIB;

    @Override
    public Integer convert(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + text + "' is not a size; write it like 4KiB, 1MiB or 512B");
        }
        String unit = m.group(2) == null ? "b" : m.group(2);
        long bytes = Long.parseLong(m.group(1)) * (unit.startsWith("m") ? MIB : unit.startsWith("k") ? KIB : 1);
        if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
            throw new TypeConversionException("object size must be between 64 B and 16 MiB, got " + text);
        }
        return (int) bytes;
    }

    /** {@code 4 KiB}, {@code 1 MiB}, {@code 1536 B}: the largest unit the size is a whole multiple of. */
    static String describe(int bytes) {
        if (bytes % MIB == 0) {
            return bytes / MIB + " MiB";
        }
        return bytes % KIB == 0 ? bytes / KIB + " KiB" : bytes + " B";
    }
}
