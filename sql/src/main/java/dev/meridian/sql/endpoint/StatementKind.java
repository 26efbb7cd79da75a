package dev.meridian.sql.endpoint;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a statement may run. A secondary region's endpoint sends {@link #READ} work to its hot standby and
 * {@link #WRITE} work to the primary; transaction control follows the transaction it belongs to, and session
 * settings go to every server the session uses. Anything not known to be read-only is a write: a statement sent
 * to the primary needlessly is slower, one sent to a standby wrongly fails.
 */
enum StatementKind {
    /** Read-only: a hot standby can run it. */
    READ,
    /** Writes, takes row locks, or changes the schema: the primary only. */
    WRITE,
    /** BEGIN, COMMIT, ROLLBACK, SAVEPOINT ...: runs where the transaction runs. */
    TRANSACTION,
    /** SET, RESET, DISCARD: session state, kept the same on every server the session uses. */
    SETTING;

    private static final Set<String> READ_COMMANDS = Set.of("SELECT", "SHOW", "VALUES", "TABLE", "FETCH", "MOVE",
            "DECLARE", "CLOSE");
    private static final Set<String> TRANSACTION_COMMANDS = Set.of("BEGIN", "START", "COMMIT", "END", "ROLLBACK",
            "ABORT", "SAVEPOINT", "RELEASE");
    private static final Set<String> DATA_CHANGES = Set.of("INSERT", "UPDATE", "DELETE", "MERGE");
    /** meridian.global_db_status() answers for every region only on the primary (a standby knows only itself). */
    private static final String GLOBAL_STATUS = "GLOBAL_DB_STATUS";
    /** Functions that write even when called from a SELECT; a standby refuses them. */
    private static final Set<String> WRITING_FUNCTIONS = Set.of("NEXTVAL", "SETVAL", "PG_ADVISORY_LOCK",
            "PG_ADVISORY_XACT_LOCK", "PG_TRY_ADVISORY_LOCK", "PG_TRY_ADVISORY_XACT_LOCK", "TXID_CURRENT",
            "PG_CURRENT_XACT_ID", "LO_CREATE", "LO_IMPORT", "LO_UNLINK");

    /** The kind of some SQL text: of its most demanding statement when it holds several. */
    static StatementKind of(String sql) {
        return of(SqlTokens.statements(sql));
    }

    /** The kind of tokenized statements ({@link SqlTokens#statements}): the most demanding one's. */
    static StatementKind of(List<List<String>> statements) {
        StatementKind kind = TRANSACTION;
        for (List<String> words : statements) {
            kind = stronger(kind, ofStatement(words));
        }
        return kind;
    }

    /** What runs both: a write anywhere makes a write, a read makes a read, a setting outranks transaction control. */
    static StatementKind stronger(StatementKind a, StatementKind b) {
        if (a == WRITE || b == WRITE) {
            return WRITE;
        }
        if (a == READ || b == READ) {
            return READ;
        }
        return a == SETTING || b == SETTING ? SETTING : TRANSACTION;
    }

    /**
     * The value a {@code SET meridian.read_consistency} or {@code RESET} in {@code sql} gives the setting: empty when
     * {@code sql} does not touch it, {@code "DEFAULT"} for RESET or SET ... TO DEFAULT.
     */
    static Optional<String> readConsistencySetting(String sql, String parameter) {
        return readConsistencySetting(SqlTokens.statements(sql), parameter);
    }

    static Optional<String> readConsistencySetting(List<List<String>> statements, String parameter) {
        String name = parameter.toUpperCase(Locale.ROOT);
        Optional<String> value = Optional.empty();
        for (List<String> w : statements) {
            int at = w.size() > 1 && (w.get(1).equals("SESSION")) ? 2 : 1;
            if (w.get(0).equals("RESET") && w.size() == 4 && (w.get(1) + w.get(2) + w.get(3)).equals(name)) {
                value = Optional.of("DEFAULT");
            } else if (w.get(0).equals("SET") && w.size() >= at + 5
                    && (w.get(at) + w.get(at + 1) + w.get(at + 2)).equals(name)
                    && (w.get(at + 3).equals("=") || w.get(at + 3).equals("TO"))) {
                String raw = w.get(at + 4);
                value = Optional.of(raw.startsWith("'") ? raw.substring(1) : raw);
            }
        }
        return value;
    }

    /** True when {@code sql} creates a temporary table, view or sequence, which exists only on the server it ran on. */
    static boolean createsTemporaryObject(String sql) {
        return createsTemporaryObject(SqlTokens.statements(sql));
    }

    static boolean createsTemporaryObject(List<List<String>> statements) {
        for (List<String> w : statements) {
            if (w.get(0).equals("CREATE") && w.size() > 1
                    && (w.get(1).startsWith("TEMP") || (w.size() > 2 && w.get(2).startsWith("TEMP")))) {
                return true;
            }
            if (w.get(0).equals("SELECT") && w.contains("INTO") && (w.contains("TEMP") || w.contains("TEMPORARY"))) {
                return true;
            }
        }
        return false;
    }

    /** True when the statements drop every prepared statement of the session (DISCARD ALL, DEALLOCATE ALL). */
    static boolean discardsPreparedStatements(List<List<String>> statements) {
        for (List<String> w : statements) {
            if ((w.get(0).equals("DISCARD") || w.get(0).equals("DEALLOCATE")) && w.contains("ALL")) {
                return true;
            }
        }
        return false;
    }

    private static StatementKind ofStatement(List<String> w) {
        int first = 0;
        while (first < w.size() && w.get(first).equals("(")) {
            first++;
        }
        if (first == w.size()) {
            return READ;
        }
        String command = w.get(first);
        if (command.equals("EXPLAIN")) {
            return w.contains("ANALYZE") || w.contains("ANALYSE") ? ofStatement(afterExplainOptions(w, first)) : READ;
        }
        if (command.equals("SET") || command.equals("RESET")) {
            boolean transactionScoped = w.size() > first + 1
                    && (w.get(first + 1).equals("LOCAL") || w.get(first + 1).equals("TRANSACTION")
                            || w.get(first + 1).equals("CONSTRAINTS"));
            if (transactionScoped) {
                return w.contains("WRITE") && !w.contains("ONLY") ? WRITE : TRANSACTION;
            }
            return SETTING;
        }
        if (command.equals("DISCARD") || command.equals("PREPARE") && !w.contains("TRANSACTION")
                || command.equals("DEALLOCATE")) {
            // SQL-level prepared statements are session state: made on every server (EXECUTE goes to the primary)
            return SETTING;
        }
        if (TRANSACTION_COMMANDS.contains(command)) {
            // BEGIN READ WRITE asks for the primary up front; PREPARE TRANSACTION and COMMIT PREPARED write.
            boolean readWrite = w.contains("WRITE") && !w.contains("ONLY");
            return readWrite || w.contains("PREPARED") ? WRITE : TRANSACTION;
        }
        if (command.equals("COPY")) {
            return w.contains("FROM") && !w.contains("TO") ? WRITE : READ;
        }
        if (command.equals("WITH") || READ_COMMANDS.contains(command)) {
            // a data change inside WITH, a row lock, SELECT INTO (a new table), a writing function, or the
            // global status: the primary
            for (int i = first; i < w.size(); i++) {
                String word = w.get(i);
                if (DATA_CHANGES.contains(word) || WRITING_FUNCTIONS.contains(word) || word.equals(GLOBAL_STATUS)
                        || (word.equals("FOR") && i + 1 < w.size() && isLockStrength(w.get(i + 1)))
                        || (word.equals("INTO") && command.equals("SELECT"))) {
                    return WRITE;
                }
            }
            return READ;
        }
        return WRITE;
    }

    private static boolean isLockStrength(String word) {
        return word.equals("UPDATE") || word.equals("SHARE") || word.equals("NO") || word.equals("KEY");
    }

    /** The explained statement: what follows EXPLAIN and its options, parenthesised or bare. */
    private static List<String> afterExplainOptions(List<String> w, int explain) {
        int i = explain + 1;
        if (i < w.size() && w.get(i).equals("(")) {
            while (i < w.size() && !w.get(i).equals(")")) {
                i++;
            }
            i++;
        } else {
            while (i < w.size() && Set.of("ANALYZE", "ANALYSE", "VERBOSE").contains(w.get(i))) {
                i++;
            }
        }
        return i < w.size() ? w.subList(i, w.size()) : List.of("SELECT");
    }
}
