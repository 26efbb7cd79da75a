package dev.meridian.core.auth;

import java.util.ArrayList;
import java.util.List;

/** One decoded query parameter; a parameter sent without {@code =} has an empty value, as SigV4 signs it. */
record QueryParam(String name, String value) {
    static List<QueryParam> parse(String rawQuery) {
        List<QueryParam> params = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.add(new QueryParam(UriEncoding.decode(name), UriEncoding.decode(value)));
        }
        return List.copyOf(params);
    }
}
