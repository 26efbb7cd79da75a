package dev.meridian.tables.expr;

import dev.meridian.tables.model.AttributeValue;

/** The comparison operators of condition expressions. */
enum CompareOp {
    EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

    private final String symbol;

    CompareOp(String symbol) {
        this.symbol = symbol;
    }

    String symbol() {
        return symbol;
    }

    /**
     * Applies the operator as DynamoDB does: equality is deep and type-sensitive, ordering needs two values of the same
     * scalar type, and a missing operand (null) makes every comparison false except {@code <>}.
     */
    boolean test(AttributeValue left, AttributeValue right) {
        boolean equal = left != null && left.equals(right);
        return switch (this) {
            case EQ -> equal;
            case NE -> !equal;
            default -> left != null && right != null && ValueOrder.orderable(left, right) && holds(ValueOrder.compare(left, right));
        };
    }

    /** The operator with its operands swapped: {@code a < b} is {@code b > a}. */
    CompareOp mirrored() {
        return switch (this) {
            case LT -> GT;
            case LE -> GE;
            case GT -> LT;
            case GE -> LE;
            default -> this;
        };
    }

    private boolean holds(int order) {
        return switch (this) {
            case LT -> order < 0;
            case LE -> order <= 0;
            case GT -> order > 0;
            case GE -> order >= 0;
            default -> throw new IllegalStateException(name());
        };
    }
}
