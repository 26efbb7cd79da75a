package dev.meridian.tables.expr;

import dev.meridian.tables.TablesException;
import dev.meridian.tables.model.AttributeValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed KeyConditionExpression of a Query: equality on the hash key and at most one condition on the range key.
 * Immutable and thread-safe.
 */
public final class KeyConditionExpression {
    private final AttributeValue hashValue;
    private final RangeCondition range;

    private KeyConditionExpression(AttributeValue hashValue, RangeCondition range) {
        this.hashValue = hashValue;
        this.range = range;
    }

    /**
     * Parses a KeyConditionExpression against the key schema of the table or index queried.
     *
     * @param rangeKeyName the range key's name, or null when the schema has none
     * @throws TablesException ValidationException with DynamoDB's message for any invalid expression
     */
    public static KeyConditionExpression parse(String text, ExpressionAttributes attributes, String hashKeyName, String rangeKeyName) {
        Condition condition = new ConditionParser(text, attributes, "KeyConditionExpression").parse();
        List<Condition> terms = new ArrayList<>();
        flatten(condition, terms);
        if (terms.size() > 2) {
            throw TablesException.validation("KeyConditionExpressions must only contain one condition per key");
        }
        AttributeValue hash = null;
        RangeCondition range = null;
        boolean otherAttribute = false;
        for (Condition term : terms) {
            KeyTerm key = KeyTerm.of(term);
            if (key.attribute().equals(hashKeyName)) {
                requireFirst(hash);
                if (key.condition().op() != RangeCondition.Op.EQ) {
                    throw TablesException.validation("Query key condition not supported");
                }
                hash = key.condition().first();
            } else if (key.attribute().equals(rangeKeyName)) {
                requireFirst(range);
                range = key.condition();
            } else {
                otherAttribute = true;
            }
        }
        if (hash == null) {
            throw missedKey(hashKeyName);
        }
        if (otherAttribute) {
            throw rangeKeyName == null ? TablesException.validation("Query key condition not supported") : missedKey(rangeKeyName);
        }
        return new KeyConditionExpression(hash, range);
    }

    /** The value the hash key must equal. */
    public AttributeValue hashValue() {
        return hashValue;
    }

    /** The condition on the range key, if the expression has one. */
    public Optional<RangeCondition> range() {
        return Optional.ofNullable(range);
    }

    /** A condition on the range key; {@code second} is the upper bound of BETWEEN and null otherwise. */
    public record RangeCondition(Op op, AttributeValue first, AttributeValue second) {

        public enum Op { EQ, LT, LE, GT, GE, BETWEEN, BEGINS_WITH }

        /** Whether a range key value satisfies the condition. */
        public boolean test(AttributeValue v) {
            return switch (op) {
                case EQ -> CompareOp.EQ.test(v, first);
                case LT -> CompareOp.LT.test(v, first);
                case LE -> CompareOp.LE.test(v, first);
                case GT -> CompareOp.GT.test(v, first);
                case GE -> CompareOp.GE.test(v, first);
                case BETWEEN -> CompareOp.GE.test(v, first) && CompareOp.LE.test(v, second);
                case BEGINS_WITH -> Condition.BeginsWith.holds(v, first);
            };
        }
    }

    private static void flatten(Condition condition, List<Condition> terms) {
        if (condition instanceof Condition.And and) {
            flatten(and.left(), terms);
            flatten(and.right(), terms);
        } else {
            terms.add(condition);
        }
    }

    private static void requireFirst(Object earlier) {
        if (earlier != null) {
            throw TablesException.validation("KeyConditionExpressions must only contain one condition per key");
        }
    }

    private static TablesException missedKey(String name) {
        return TablesException.validation("Query condition missed key schema element: " + name);
    }

    /** One term of a key condition: a condition on one top-level attribute against literal values. */
    private record KeyTerm(String attribute, RangeCondition condition) {

        static KeyTerm of(Condition term) {
            if (term instanceof Condition.Compare compare && compare.op() != CompareOp.NE) {
                boolean pathFirst = !(compare.left() instanceof Operand.Value);
                Operand subject = pathFirst ? compare.left() : compare.right();
                Operand value = pathFirst ? compare.right() : compare.left();
                CompareOp op = pathFirst ? compare.op() : compare.op().mirrored();
                return new KeyTerm(attribute(subject, value), new RangeCondition(rangeOp(op), literal(value), null));
            }
            if (term instanceof Condition.Between between) {
                String attribute = attribute(between.subject(), between.low());
                return new KeyTerm(attribute, new RangeCondition(RangeCondition.Op.BETWEEN, literal(between.low()), literal(between.high())));
            }
            if (term instanceof Condition.BeginsWith begins) {
                String attribute = attribute(begins.subject(), begins.prefix());
                return new KeyTerm(attribute, new RangeCondition(RangeCondition.Op.BEGINS_WITH, literal(begins.prefix()), null));
            }
            throw TablesException.validation("Invalid operator used in KeyConditionExpression: " + operatorName(term));
        }

        private static String attribute(Operand subject, Operand value) {
            if (subject instanceof Operand.Size || value instanceof Operand.Size) {
                throw TablesException.validation("Invalid operator used in KeyConditionExpression: size");
            }
            if (!(subject instanceof Operand.Path path)) {
                throw TablesException.validation("Invalid condition in KeyConditionExpression: No key attribute specified");
            }
            if (value instanceof Operand.Path) {
                throw TablesException.validation("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
            }
            if (path.path().size() > 1) {
                throw TablesException.validation("KeyConditionExpressions cannot have conditions on nested attributes");
            }
            return path.path().attribute();
        }

        private static AttributeValue literal(Operand operand) {
            if (operand instanceof Operand.Value value) {
                return value.value();
            }
            throw TablesException.validation("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
        }

        private static RangeCondition.Op rangeOp(CompareOp op) {
            return RangeCondition.Op.valueOf(op.name());
        }

        private static String operatorName(Condition term) {
            if (term instanceof Condition.Compare compare) {
                return compare.op().symbol();
            }
            if (term instanceof Condition.Exists exists) {
                return exists.expected() ? "attribute_exists" : "attribute_not_exists";
            }
            return term instanceof Condition.Or ? "OR"
                    : term instanceof Condition.Not ? "NOT"
                    : term instanceof Condition.In ? "IN"
                    : term instanceof Condition.HasType ? "attribute_type"
                    : "contains";
        }
    }
}
