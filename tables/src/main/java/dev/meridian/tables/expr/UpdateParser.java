package dev.meridian.tables.expr;

import dev.meridian.tables.expr.Token.Kind;
import dev.meridian.tables.model.AttributeValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/** Parses update expressions: up to one each of the SET, REMOVE, ADD and DELETE sections, in any order. */
final class UpdateParser extends ExpressionParser {
    private static final Set<String> SECTIONS = Set.of("SET", "REMOVE", "ADD", "DELETE");
    private static final Set<String> CONDITION_FUNCTIONS =
            Set.of("attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains", "size");

    private final List<UpdateAction> actions = new ArrayList<>();

    UpdateParser(String text, ExpressionAttributes attributes) {
        super(text, attributes, "UpdateExpression");
    }

    /** Parses the whole text into its actions, in the order written. */
    List<UpdateAction> parse() {
        Set<String> seen = new HashSet<>();
        do {
            String section = peek().text().toUpperCase(Locale.ROOT);
            if (!at(Kind.WORD) || !SECTIONS.contains(section)) {
                throw syntaxError();
            }
            next();
            if (!seen.add(section)) {
                reject("The \"" + section + "\" section can only be used once in an update expression;");
            }
            sectionActions(section);
        } while (!at(Kind.EOF));
        PathConflicts.check(actions.stream().map(UpdateAction::path).toList(), this);
        finish();
        return List.copyOf(actions);
    }

    private void sectionActions(String section) {
        Consumer<DocumentPath> action = switch (section) {
            case "SET" -> path -> {
                expect(Kind.EQ);
                actions.add(new UpdateAction.Put(path, setValue()));
            };
            case "REMOVE" -> path -> actions.add(new UpdateAction.Remove(path));
            case "ADD" -> path -> actions.add(new UpdateAction.Add(path, typed(section, true)));
            default -> path -> actions.add(new UpdateAction.Delete(path, typed(section, false)));
        };
        do {
            if (!atPath()) {
                throw syntaxError();
            }
            action.accept(path());
        } while (accept(Kind.COMMA));
    }

    /** The value of an ADD (a number or set) or DELETE (a set) action. */
    private AttributeValue typed(String section, boolean numberAllowed) {
        AttributeValue value = value().value();
        boolean set = value instanceof AttributeValue.SS || value instanceof AttributeValue.NS || value instanceof AttributeValue.BS;
        if (!set && !(numberAllowed && value instanceof AttributeValue.N)) {
            reject("Incorrect operand type for operator or function; operator: " + section + ", operand type: "
                    + typeWord(value) + ", typeSet: ALLOWED_FOR_" + section + "_OPERAND");
        }
        return value;
    }

    /** value := operand (('+' | '-') operand)?. */
    private SetValue setValue() {
        SetValue left = setOperand();
        if (!at(Kind.PLUS) && !at(Kind.MINUS)) {
            return left;
        }
        Token operator = next();
        SetValue right = setOperand();
        requireLiteralType(operator.text(), left, AttributeValue.N.class);
        requireLiteralType(operator.text(), right, AttributeValue.N.class);
        return new SetValue.Arithmetic(left, operator.kind() == Kind.MINUS, right);
    }

    /** operand := path | :value | if_not_exists(path, value) | list_append(value, value). */
    private SetValue setOperand() {
        if (at(Kind.VALUE_REF)) {
            return new SetValue.Of(value());
        }
        if (atFunction()) {
            return function(next().text());
        }
        if (!atPath()) {
            throw syntaxError();
        }
        return new SetValue.Of(new Operand.Path(path()));
    }

    private SetValue function(String name) {
        List<SetValue> args = arguments(this::setValue);
        if (!name.equals("if_not_exists") && !name.equals("list_append")) {
            reject(CONDITION_FUNCTIONS.contains(name)
                    ? "The function is not allowed in an update expression; function: " + name
                    : "Invalid function name; function: " + name);
            return args.get(0);
        }
        requireArity(name, args, 2);
        if (args.size() != 2) {
            return args.get(0);
        }
        if (name.equals("list_append")) {
            requireLiteralType(name, args.get(0), AttributeValue.L.class);
            requireLiteralType(name, args.get(1), AttributeValue.L.class);
            return new SetValue.ListAppend(args.get(0), args.get(1));
        }
        if (args.get(0) instanceof SetValue.Of of && of.operand() instanceof Operand.Path path) {
            return new SetValue.IfNotExists(path.path(), args.get(1));
        }
        reject("Operator or function requires a document path; operator or function: " + name);
        return args.get(0);
    }

    /** Rejects a {@code :value} operand of {@code function} whose type is not {@code type}; paths are checked when applied. */
    private void requireLiteralType(String function, SetValue operand, Class<? extends AttributeValue> type) {
        if (operand instanceof SetValue.Of of && of.operand() instanceof Operand.Value v && !type.isInstance(v.value())) {
            rejectOperandType(function, v.value().type());
        }
    }

    /** DynamoDB's word for a type in ADD and DELETE errors. */
    private static String typeWord(AttributeValue value) {
        return switch (value.type()) {
            case "S" -> "STRING";
            case "N" -> "NUMBER";
            case "B" -> "BINARY";
            case "BOOL" -> "BOOLEAN";
            case "M" -> "MAP";
            case "L" -> "LIST";
            default -> value.type();
        };
    }
}
