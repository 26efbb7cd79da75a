package dev.meridian.tables.model;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * DynamoDB's number rules: up to 38 significant digits, magnitude between 1E-130 and 9.9999999999999999999999999999999999999E+125
 * (or zero), compared exactly as decimals. Numbers are kept canonical: trailing zeros stripped, zero as plain 0.
 */
public final class Numbers {
    public static final int MAX_PRECISION = 38;
    private static final Pattern SYNTAX = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final BigDecimal MAX = new BigDecimal("1E+126");
    private static final BigDecimal MIN = new BigDecimal("1E-130");
    private static final String OVERFLOW =
            "Number overflow. Attempting to store a number with magnitude larger than supported range";

    private Numbers() {}

    /**
     * Parses DynamoDB number text.
     *
     * @throws NumberRuleException with DynamoDB's message when the text is not a number or breaks a limit
     */
    public static BigDecimal parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (!SYNTAX.matcher(trimmed).matches() || trimmed.length() > 1000) {
            throw new NumberRuleException("The parameter cannot be converted to a numeric value: " + text);
        }
        BigDecimal value;
        try {
            value = new BigDecimal(trimmed);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new NumberRuleException("The parameter cannot be converted to a numeric value: " + text);
        }
        return check(value);
    }

    /** Checks a computed number (e.g. the result of SET a = a + :n) against DynamoDB's limits. */
    public static BigDecimal check(BigDecimal value) {
        BigDecimal canonical;
        try {
            canonical = canonical(value);
        } catch (ArithmeticException e) {
            // Stripping zeros pushed the exponent past an int (e.g. 100e2147483647): far above the largest number.
            throw new NumberRuleException(OVERFLOW);
        }
        if (canonical.signum() == 0) {
            return canonical;
        }
        if (canonical.precision() > MAX_PRECISION) {
            throw new NumberRuleException("Attempting to store more than 38 significant digits in a Number");
        }
        BigDecimal magnitude = canonical.abs();
        if (magnitude.compareTo(MAX) >= 0) {
            throw new NumberRuleException(OVERFLOW);
        }
        if (magnitude.compareTo(MIN) < 0) {
            throw new NumberRuleException("Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        return canonical;
    }

    public static BigDecimal canonical(BigDecimal value) {
        return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }

    /** The text DynamoDB returns for a number: plain notation, no trailing zeros. */
    public static String format(BigDecimal value) {
        return canonical(value).toPlainString();
    }

    /** A number that DynamoDB would reject, with DynamoDB's message. */
    public static final class NumberRuleException extends RuntimeException {
        public NumberRuleException(String message) {
            super(message);
        }
    }
}
