package dev.meridian.tables.expr;

/** One lexical token of an expression, with its span in the source text. */
record Token(Kind kind, String text, int start, int end) {

    enum Kind {
        /** A bare word: an attribute name, keyword, function name or list index digits. */
        WORD,
        /** An expression attribute name placeholder such as {@code #n}. */
        NAME_REF,
        /** An expression attribute value placeholder such as {@code :v}. */
        VALUE_REF,
        LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, DOT, PLUS, MINUS,
        EQ, NE, LT, LE, GT, GE,
        /** A character no token can start with; the parser reports it as a syntax error. */
        INVALID,
        EOF
    }

    /** Whether this is a bare word equal to {@code keyword}, ignoring case as DynamoDB does. */
    boolean isKeyword(String keyword) {
        return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }
}
