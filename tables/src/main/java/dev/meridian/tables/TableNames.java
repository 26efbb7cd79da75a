package dev.meridian.tables;

import dev.meridian.tables.json.RequestFields;
import java.util.ArrayList;
import java.util.regex.Pattern;

/** DynamoDB's table name rule: 3 to 255 characters of {@code [a-zA-Z0-9_.-]}. */
final class TableNames {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");

    private TableNames() {}

    /** The request's TableName, checked. */
    static String of(RequestFields request) {
        String name = request.requiredString("TableName");
        check(request, "TableName", name);
        return name;
    }

    /** Checks {@code name}, reporting failures against {@code member} of {@code request}. */
    static void check(RequestFields request, String member, String name) {
        var failures = new ArrayList<String>();
        if (!NAME.matcher(name).matches()) {
            failures.add("Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
        if (name.length() < 3) {
            failures.add("Member must have length greater than or equal to 3");
        }
        if (name.length() > 255) {
            failures.add("Member must have length less than or equal to 255");
        }
        if (!failures.isEmpty()) {
            throw request.constraints(member, name, failures);
        }
    }
}
