package dev.meridian.tables.expr;

import dev.meridian.tables.TablesException;
import dev.meridian.tables.expr.Token.Kind;
import dev.meridian.tables.model.AttributeValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The recursive-descent machinery every expression kind shares: a token cursor, document paths, placeholders and
 * DynamoDB-shaped errors. Syntax errors are thrown at once; other errors (undefined placeholders, reserved words,
 * operand types) are held until the whole text has parsed, because DynamoDB reports syntax errors first; after such
 * an error parsing goes on with stand-in nodes that are never evaluated, since {@link #finish()} then throws.
 */
class ExpressionParser {
    static final int MAX_EXPRESSION_BYTES = 4096;
    static final int MAX_PATH_DEPTH = 32;
    /** Bound on parenthesis and NOT nesting, so hostile input cannot exhaust the parsing thread's stack. */
    private static final int MAX_NESTING = 300;

    private final String kind;
    private final String text;
    private final List<Token> tokens;
    private final ExpressionAttributes attributes;
    private int pos;
    private int nesting;
    private String deferredError;

    /**
     * @param kind the request parameter, e.g. {@code ConditionExpression}, named in error messages
     * @throws TablesException for an empty or oversized expression
     */
    ExpressionParser(String text, ExpressionAttributes attributes, String kind) {
        this.kind = kind;
        this.text = text == null ? "" : text;
        this.attributes = attributes;
        if (this.text.isBlank()) {
            throw invalid("The expression can not be empty;");
        }
        int bytes = this.text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_EXPRESSION_BYTES) {
            throw invalid("Expression size has exceeded the maximum allowed size; expression size: " + bytes);
        }
        this.tokens = Lexer.tokenize(this.text);
    }

    final Token peek() {
        return tokens.get(pos);
    }

    final Token peekAhead(int offset) {
        return tokens.get(Math.min(pos + offset, tokens.size() - 1));
    }

    final boolean at(Kind tokenKind) {
        return peek().kind() == tokenKind;
    }

    final boolean atKeyword(String keyword) {
        return peek().isKeyword(keyword);
    }

    final Token next() {
        Token token = peek();
        if (token.kind() != Kind.EOF) {
            pos++;
        }
        return token;
    }

    final boolean accept(Kind tokenKind) {
        if (at(tokenKind)) {
            pos++;
            return true;
        }
        return false;
    }

    final Token expect(Kind tokenKind) {
        if (!at(tokenKind)) {
            throw syntaxError();
        }
        return next();
    }

    final boolean acceptKeyword(String keyword) {
        if (atKeyword(keyword)) {
            pos++;
            return true;
        }
        return false;
    }

    final void expectKeyword(String keyword) {
        if (!atKeyword(keyword)) {
            throw syntaxError();
        }
        next();
    }

    /** Checks that all text was consumed, then raises the first held error, if any. */
    final void finish() {
        if (!at(Kind.EOF)) {
            throw syntaxError();
        }
        if (deferredError != null) {
            throw invalid(deferredError);
        }
    }

    /** Records a non-syntax error; the first one recorded is thrown by {@link #finish()}. */
    final void reject(String detail) {
        if (deferredError == null) {
            deferredError = detail;
        }
    }

    final TablesException invalid(String detail) {
        return TablesException.validation("Invalid " + kind + ": " + detail);
    }

    /** A syntax error at the current token, quoting it and its neighbours as DynamoDB does. */
    final TablesException syntaxError() {
        Token token = peek();
        int from = token.kind() == Kind.EOF ? Math.max(pos - 2, 0) : Math.max(pos - 1, 0);
        int to = token.kind() == Kind.EOF ? pos : Math.min(pos + 1, tokens.size() - 1);
        Token last = tokens.get(to).kind() == Kind.EOF ? tokens.get(Math.max(to - 1, 0)) : tokens.get(to);
        String near = text.substring(tokens.get(from).start(), Math.max(last.end(), tokens.get(from).start()));
        return invalid("Syntax error; token: \"" + token.text() + "\", near: \"" + near + "\"");
    }

    final void enterNesting() {
        if (++nesting > MAX_NESTING) {
            throw invalid("The expression has too many nesting levels; nesting levels: " + nesting);
        }
    }

    final void exitNesting() {
        nesting--;
    }

    /** Whether the current token begins a document path. */
    final boolean atPath() {
        return at(Kind.NAME_REF) || (at(Kind.WORD) && !startsWithDigit(peek().text()));
    }

    /** path := name ('.' name | '[' digits ']')*, where name is a bare word or a {@code #name} placeholder. */
    final DocumentPath path() {
        List<DocumentPath.Step> steps = new ArrayList<>();
        steps.add(new DocumentPath.Key(pathName()));
        while (at(Kind.DOT) || at(Kind.LBRACKET)) {
            if (accept(Kind.DOT)) {
                steps.add(new DocumentPath.Key(pathName()));
            } else {
                next();
                steps.add(new DocumentPath.Index(listIndex()));
                expect(Kind.RBRACKET);
            }
        }
        if (steps.size() > MAX_PATH_DEPTH) {
            reject("The document path has too many nesting levels; nesting levels: " + steps.size());
        }
        return new DocumentPath(steps);
    }

    /** The value a {@code :value} placeholder stands for; a Null stand-in (never evaluated) when it is undefined. */
    final Operand.Value value() {
        String ref = expect(Kind.VALUE_REF).text();
        AttributeValue value = attributes.value(ref).orElseGet(() -> {
            reject("An expression attribute value used in expression is not defined; attribute value: " + ref);
            return new AttributeValue.Null();
        });
        return new Operand.Value(ref, value);
    }

    /** args := '(' element (',' element)* ')'. */
    final <T> List<T> arguments(Supplier<T> element) {
        expect(Kind.LPAREN);
        enterNesting();
        List<T> args = new ArrayList<>();
        do {
            args.add(element.get());
        } while (accept(Kind.COMMA));
        expect(Kind.RPAREN);
        exitNesting();
        return args;
    }

    /** Whether the current token is a function name: a bare word directly followed by an opening parenthesis. */
    final boolean atFunction() {
        return at(Kind.WORD) && peekAhead(1).kind() == Kind.LPAREN;
    }

    final void requireArity(String function, List<?> args, int expected) {
        if (args.size() != expected) {
            reject("Incorrect number of operands for operator or function; operator or function: " + function
                    + ", number of operands: " + args.size());
        }
    }

    final void rejectOperandType(String function, String type) {
        reject("Incorrect operand type for operator or function; operator or function: " + function + ", operand type: " + type);
    }

    private String pathName() {
        if (at(Kind.NAME_REF)) {
            String ref = next().text();
            return attributes.name(ref).orElseGet(() -> {
                reject("An expression attribute name used in the document path is not defined; attribute name: " + ref);
                return ref;
            });
        }
        if (!atPath()) {
            throw syntaxError();
        }
        String name = next().text();
        if (ReservedWords.contains(name)) {
            reject("Attribute name is a reserved keyword; reserved keyword: " + name);
        }
        return name;
    }

    private int listIndex() {
        Token token = peek();
        if (token.kind() != Kind.WORD || !token.text().chars().allMatch(Character::isDigit)) {
            throw syntaxError();
        }
        next();
        try {
            return Integer.parseInt(token.text());
        } catch (NumberFormatException e) {
            reject("List index is not within the allowable range; index: [" + token.text() + "]");
            return 0;
        }
    }

    private static boolean startsWithDigit(String word) {
        return Character.isDigit(word.charAt(0));
    }
}
