package dev.meridian.tables.expr;

import dev.meridian.tables.expr.Token.Kind;
import dev.meridian.tables.model.AttributeValue;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Parses condition, filter and key condition expressions. Precedence, loosest first: OR, AND, NOT, then comparisons,
 * BETWEEN, IN, functions and parentheses.
 */
final class ConditionParser extends ExpressionParser {
    static final int MAX_IN_OPERANDS = 100;
    private static final Set<String> TYPE_NAMES = Set.of("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M");
    private static final Set<String> CONDITION_FUNCTIONS =
            Set.of("attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains");
    private static final Set<String> UPDATE_FUNCTIONS = Set.of("if_not_exists", "list_append");
    /** What a rejected function parses to; never evaluated, since {@link #finish()} throws the held error. */
    private static final Condition STAND_IN = new Condition.Exists(null, true);

    ConditionParser(String text, ExpressionAttributes attributes, String kind) {
        super(text, attributes, kind);
    }

    /** Parses the whole text as one condition. */
    Condition parse() {
        Condition condition = or();
        finish();
        return condition;
    }

    private Condition or() {
        Condition condition = and();
        while (atKeyword("OR")) {
            next();
            condition = new Condition.Or(condition, and());
        }
        return condition;
    }

    private Condition and() {
        Condition condition = not();
        while (atKeyword("AND")) {
            next();
            condition = new Condition.And(condition, not());
        }
        return condition;
    }

    private Condition not() {
        if (!atKeyword("NOT")) {
            return primary();
        }
        next();
        enterNesting();
        Condition negated = new Condition.Not(not());
        exitNesting();
        return negated;
    }

    private Condition primary() {
        if (accept(Kind.LPAREN)) {
            enterNesting();
            Condition inner = or();
            expect(Kind.RPAREN);
            exitNesting();
            return inner;
        }
        if (atFunction() && !peek().text().equals("size")) {
            String name = peek().text();
            Condition function = conditionFunction(next().text());
            if (!atComparison()) {
                return function;
            }
            reject("The function is not allowed to be used this way in an expression; function: " + name);
            return comparison(new Operand.Value(name, new AttributeValue.Null()));
        }
        return comparison(operand());
    }

    /** Whether a comparison operator, BETWEEN or IN follows. */
    private boolean atComparison() {
        return switch (peek().kind()) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> atKeyword("BETWEEN") || atKeyword("IN");
        };
    }

    /** comparison := left (comparator operand | BETWEEN operand AND operand | IN '(' operand, ... ')'). */
    private Condition comparison(Operand left) {
        if (acceptKeyword("BETWEEN")) {
            return between(left);
        }
        if (acceptKeyword("IN")) {
            return in(left);
        }
        CompareOp op = comparator();
        return new Condition.Compare(op, left, operand());
    }

    private CompareOp comparator() {
        CompareOp op = switch (peek().kind()) {
            case EQ -> CompareOp.EQ;
            case NE -> CompareOp.NE;
            case LT -> CompareOp.LT;
            case LE -> CompareOp.LE;
            case GT -> CompareOp.GT;
            case GE -> CompareOp.GE;
            default -> throw syntaxError();
        };
        next();
        return op;
    }

    private Condition between(Operand subject) {
        Operand low = operand();
        expectKeyword("AND");
        Operand high = operand();
        if (low instanceof Operand.Value l && high instanceof Operand.Value h
                && ValueOrder.orderable(l.value(), h.value()) && ValueOrder.compare(l.value(), h.value()) > 0) {
            reject("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: "
                    + describe(l.value()) + ", upper bound operand: " + describe(h.value()));
        }
        return new Condition.Between(subject, low, high);
    }

    private Condition in(Operand subject) {
        List<Operand> candidates = arguments(this::operand);
        if (candidates.size() > MAX_IN_OPERANDS) {
            reject("The IN operator is provided with too many operands; number of operands: " + candidates.size());
        }
        return new Condition.In(subject, candidates);
    }

    private Condition conditionFunction(String name) {
        List<Operand> args = arguments(this::operand);
        if (!CONDITION_FUNCTIONS.contains(name)) {
            reject(misusedFunction(name));
            return STAND_IN;
        }
        int arity = name.startsWith("attribute_") && !name.equals("attribute_type") ? 1 : 2;
        requireArity(name, args, arity);
        if (args.size() != arity) {
            return STAND_IN;
        }
        return switch (name) {
            case "attribute_exists" -> new Condition.Exists(requirePath(name, args.get(0)), true);
            case "attribute_not_exists" -> new Condition.Exists(requirePath(name, args.get(0)), false);
            case "attribute_type" -> new Condition.HasType(requirePath(name, args.get(0)), typeName(args.get(1)));
            case "begins_with" -> new Condition.BeginsWith(stringOrBinary(name, args.get(0)), stringOrBinary(name, args.get(1)));
            default -> new Condition.Contains(args.get(0), args.get(1));
        };
    }

    /** operand := path | :value | size(operand). */
    Operand operand() {
        if (at(Kind.VALUE_REF)) {
            return value();
        }
        if (atFunction()) {
            return functionOperand(next().text());
        }
        if (!atPath()) {
            throw syntaxError();
        }
        return new Operand.Path(path());
    }

    private Operand functionOperand(String name) {
        List<Operand> args = arguments(this::operand);
        if (!name.equals("size")) {
            reject(CONDITION_FUNCTIONS.contains(name)
                    ? "The function is not allowed to be used this way in an expression; function: " + name
                    : misusedFunction(name));
            return args.get(0);
        }
        requireArity(name, args, 1);
        Operand of = args.get(0);
        if (of instanceof Operand.Size
                || (of instanceof Operand.Value v && Operand.Size.sizeOf(v.value()).isEmpty())) {
            rejectOperandType(name, of instanceof Operand.Value v ? v.value().type() : "N");
        }
        return new Operand.Size(of);
    }

    private static String misusedFunction(String name) {
        return UPDATE_FUNCTIONS.contains(name)
                ? "The function is not allowed in a condition expression; function: " + name
                : "Invalid function name; function: " + name;
    }

    private DocumentPath requirePath(String function, Operand operand) {
        if (operand instanceof Operand.Path path) {
            return path.path();
        }
        reject("Operator or function requires a document path; operator or function: " + function);
        return null;
    }

    private Operand stringOrBinary(String function, Operand operand) {
        if (operand instanceof Operand.Size) {
            rejectOperandType(function, "N");
        } else if (operand instanceof Operand.Value v && !(v.value() instanceof AttributeValue.S || v.value() instanceof AttributeValue.B)) {
            rejectOperandType(function, v.value().type());
        }
        return operand;
    }

    private String typeName(Operand operand) {
        if (!(operand instanceof Operand.Value v)) {
            reject("Operator or function requires an attribute value; operator or function: attribute_type");
            return "";
        }
        if (!(v.value() instanceof AttributeValue.S s)) {
            rejectOperandType("attribute_type", v.value().type());
            return "";
        }
        if (!TYPE_NAMES.contains(s.value())) {
            reject("Invalid attribute type name found; type: " + s.value() + ", valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }");
        }
        return s.value();
    }

    /** A value as DynamoDB quotes it in error messages, e.g. {@code AttributeValue: {N:5}}. */
    static String describe(AttributeValue value) {
        String text = value instanceof AttributeValue.S s ? s.value()
                : value instanceof AttributeValue.N n ? n.text()
                : value instanceof AttributeValue.B b ? Base64.getEncoder().encodeToString(b.value())
                : value.toString();
        return "AttributeValue: {" + value.type() + ":" + text + "}";
    }
}
