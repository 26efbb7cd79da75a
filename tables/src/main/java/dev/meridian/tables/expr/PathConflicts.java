package dev.meridian.tables.expr;

import java.util.List;

/** DynamoDB's rule that no two document paths of one update or projection expression may overlap or conflict. */
final class PathConflicts {
    private PathConflicts() {}

    /** Rejects, through {@code parser}, the first pair of paths where one contains the other or where they disagree on a step's kind. */
    static void check(List<DocumentPath> paths, ExpressionParser parser) {
        for (int i = 0; i < paths.size(); i++) {
            for (int j = i + 1; j < paths.size(); j++) {
                String problem = problem(paths.get(i), paths.get(j));
                if (problem != null) {
                    parser.reject("Two document paths " + problem + " with each other; must remove or rewrite one of these paths; path one: "
                            + paths.get(i) + ", path two: " + paths.get(j));
                    return;
                }
            }
        }
    }

    /** "overlap" when one path is a prefix of the other, "conflict" when one uses a key where the other uses an index. */
    private static String problem(DocumentPath one, DocumentPath two) {
        for (int k = 0; k < Math.min(one.size(), two.size()); k++) {
            DocumentPath.Step a = one.step(k);
            DocumentPath.Step b = two.step(k);
            if (!a.equals(b)) {
                return a.getClass() == b.getClass() ? null : "conflict";
            }
        }
        return "overlap";
    }
}
