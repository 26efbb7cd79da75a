package dev.meridian.tables.expr;

import dev.meridian.tables.TablesException;
import dev.meridian.tables.expr.Token.Kind;
import dev.meridian.tables.model.AttributeValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A parsed ProjectionExpression, which cuts items down to the listed document paths. Immutable and thread-safe. */
public final class ProjectionExpression {
    private final Node root = new Node();

    private ProjectionExpression(List<DocumentPath> paths) {
        paths.forEach(root::add);
    }

    /**
     * Parses a ProjectionExpression: document paths separated by commas.
     *
     * @throws TablesException ValidationException with DynamoDB's message for any invalid expression
     */
    public static ProjectionExpression parse(String text, ExpressionAttributes attributes) {
        var parser = new ExpressionParser(text, attributes, "ProjectionExpression");
        List<DocumentPath> paths = new ArrayList<>();
        do {
            if (!parser.atPath()) {
                throw parser.syntaxError();
            }
            paths.add(parser.path());
        } while (parser.accept(Kind.COMMA));
        PathConflicts.check(paths, parser);
        parser.finish();
        return new ProjectionExpression(paths);
    }

    /**
     * The parts of {@code item} the paths select, keeping their nesting: {@code a.b[1].c} yields
     * {@code {a: {b: [{c: ...}]}}}, and the selected elements of one list keep their order. Missing parts are left out.
     */
    public Map<String, AttributeValue> project(Map<String, AttributeValue> item) {
        AttributeValue projected = root.extract(new AttributeValue.M(item));
        return projected == null ? Map.of() : ((AttributeValue.M) projected).value();
    }

    /** A trie of the projected paths; a node without children selects the whole value under it. */
    private static final class Node {
        private final Map<DocumentPath.Step, Node> children = new TreeMap<>(DocumentPath.STEP_ORDER);

        void add(DocumentPath path) {
            Node node = this;
            for (DocumentPath.Step step : path.steps()) {
                node = node.children.computeIfAbsent(step, s -> new Node());
            }
        }

        /** What this node selects from {@code value}, or null when nothing of it is selected. */
        AttributeValue extract(AttributeValue value) {
            if (children.isEmpty()) {
                return value;
            }
            var map = new LinkedHashMap<String, AttributeValue>();
            var list = new ArrayList<AttributeValue>();
            children.forEach((step, child) -> {
                AttributeValue part = DocumentTree.child(value, step);
                AttributeValue selected = part == null ? null : child.extract(part);
                if (selected != null && step instanceof DocumentPath.Key key) {
                    map.put(key.name(), selected);
                } else if (selected != null) {
                    list.add(selected);
                }
            });
            if (!map.isEmpty()) {
                return new AttributeValue.M(map);
            }
            return list.isEmpty() ? null : new AttributeValue.L(list);
        }
    }
}
