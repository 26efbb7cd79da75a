package dev.meridian.tables.expr;

import dev.meridian.tables.expr.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/** Splits expression text into tokens; never fails, marking unknown characters as {@link Kind#INVALID}. */
final class Lexer {
    private final String text;
    private int pos;

    private Lexer(String text) {
        this.text = text;
    }

    /** The tokens of {@code text}, always ending with one {@link Kind#EOF} token. */
    static List<Token> tokenize(String text) {
        return new Lexer(text).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            if (pos >= text.length()) {
                tokens.add(new Token(Kind.EOF, "<EOF>", pos, pos));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private Token next() {
        int start = pos;
        char c = text.charAt(pos);
        if (isWordChar(c)) {
            return word(Kind.WORD, start);
        }
        if ((c == '#' || c == ':') && pos + 1 < text.length() && isWordChar(text.charAt(pos + 1))) {
            pos++;
            return word(c == '#' ? Kind.NAME_REF : Kind.VALUE_REF, start);
        }
        Kind two = pos + 1 < text.length() ? twoCharOperator(c, text.charAt(pos + 1)) : null;
        if (two != null) {
            pos += 2;
            return token(two, start);
        }
        pos += Character.charCount(text.codePointAt(pos));
        return token(oneCharOperator(c), start);
    }

    private Token word(Kind kind, int start) {
        while (pos < text.length() && isWordChar(text.charAt(pos))) {
            pos++;
        }
        return token(kind, start);
    }

    private Token token(Kind kind, int start) {
        return new Token(kind, text.substring(start, pos), start, pos);
    }

    private static Kind twoCharOperator(char first, char second) {
        if (first == '<' && second == '>') {
            return Kind.NE;
        }
        if (second != '=') {
            return null;
        }
        return first == '<' ? Kind.LE : first == '>' ? Kind.GE : null;
    }

    private static Kind oneCharOperator(char c) {
        return switch (c) {
            case '(' -> Kind.LPAREN;
            case ')' -> Kind.RPAREN;
            case '[' -> Kind.LBRACKET;
            case ']' -> Kind.RBRACKET;
            case ',' -> Kind.COMMA;
            case '.' -> Kind.DOT;
            case '+' -> Kind.PLUS;
            case '-' -> Kind.MINUS;
            case '=' -> Kind.EQ;
            case '<' -> Kind.LT;
            case '>' -> Kind.GT;
            default -> Kind.INVALID;
        };
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
