package dev.meridian.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads an item size in bytes written as {@code 1KB}, {@code 512B} or a bare number of bytes (1 KB = 1024 B). */
final class ItemSizeConverter implements ITypeConverter<Integer> {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib)?");
    /** DynamoDB's item size limit. */
    private static final int MAX_BYTES = 400 * 1024;

    @Override
    public Integer convert(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + text + "' is not a size; write it like 1KB, 512B or 100");
        }
        long bytes = Long.parseLong(m.group(1)) * (m.group(2) == null || m.group(2).equals("b") ? 1 : 1024);
        if (bytes < 64 || bytes > MAX_BYTES) {
            throw new TypeConversionException("item size must be between 64 B and 400 KB, got " + text);
        }
        return (int) bytes;
    }
}
