package dev.meridian.server.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a delay written as {@code 40ms}, {@code 0.1s} or a bare number of milliseconds. */
final class DelayConverter implements ITypeConverter<Duration> {
    private static final Pattern DELAY = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s)?");

    @Override
    public Duration convert(String text) {
        Matcher m = DELAY.matcher(text.trim());
        if (!m.matches()) {
            throw new TypeConversionException("'" + text + "' is not a delay; write it like 40ms, 0.1s or 40");
        }
        double value = Double.parseDouble(m.group(1));
        double millis = "s".equals(m.group(2)) ? value * 1000 : value;
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }
}
