package dev.meridian.tables;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.tables.json.RequestFields;
import java.util.List;

/**
 * Capacity units as DynamoDB charges them (one write unit per started KB written, one read unit per started 4 KB
 * read strongly, half that eventually) and the ConsumedCapacity member a request asked for with
 * ReturnConsumedCapacity.
 */
final class Capacity {
    private static final List<String> MODES = List.of("INDEXES", "TOTAL", "NONE");

    private final String mode;

    private Capacity(String mode) {
        this.mode = mode;
    }

    static Capacity requested(RequestFields request) {
        return new Capacity(request.enumeration("ReturnConsumedCapacity", MODES).orElse("NONE"));
    }

    boolean wanted() {
        return !mode.equals("NONE");
    }

    static double writeUnits(long bytes) {
        return Math.max(1, Math.ceil(bytes / 1024.0));
    }

    static double readUnits(long bytes, boolean consistent) {
        double units = Math.max(1, Math.ceil(bytes / 4096.0));
        return consistent ? units : units / 2;
    }

    /** The ConsumedCapacity structure for {@code units} spent on {@code table}. */
    ObjectNode render(String table, double units) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("TableName", table).put("CapacityUnits", units);
        if (mode.equals("INDEXES")) {
            node.putObject("Table").put("CapacityUnits", units);
        }
        return node;
    }

    /** Adds ConsumedCapacity to a single-table response when it was asked for. */
    ObjectNode addTo(ObjectNode response, String table, double units) {
        if (wanted()) {
            response.set("ConsumedCapacity", render(table, units));
        }
        return response;
    }
}
