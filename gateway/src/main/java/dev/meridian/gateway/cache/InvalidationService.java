package dev.meridian.gateway.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Takes invalidations over HTTP the way CloudFront's CreateInvalidation does, in JSON:
 * {@code {"Paths":["/images/*"]}} answers 201 with the batch's id, status and count of dropped entries.
 */
final class InvalidationService implements HttpService {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Function<List<PathPattern>, CompletableFuture<Integer>> invalidate;

    InvalidationService(Function<List<PathPattern>, CompletableFuture<Integer>> invalidate) {
        this.invalidate = invalidate;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        if (req.method() != HttpMethod.POST) {
            return error(HttpStatus.METHOD_NOT_ALLOWED, "invalidations are created with POST");
        }
        return HttpResponse.of(req.aggregate().thenCompose(this::create));
    }

    private CompletableFuture<HttpResponse> create(AggregatedHttpRequest request) {
        List<PathPattern> patterns;
        try {
            patterns = parse(request.contentUtf8());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(error(HttpStatus.BAD_REQUEST, e.getMessage()));
        }
        return invalidate.apply(patterns).thenApply(count -> {
            ObjectNode body = JSON.createObjectNode()
                    .put("Id", newId())
                    .put("Status", "Completed");
            patterns.forEach(pattern -> body.withArray("Paths").add(pattern.pattern()));
            body.put("Invalidated", count);
            return HttpResponse.of(HttpStatus.CREATED, MediaType.JSON_UTF_8, body.toString());
        });
    }

    private static List<PathPattern> parse(String content) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        JsonNode paths = root == null ? null : root.get("Paths");
        if (paths == null || !paths.isArray() || paths.isEmpty()) {
            throw new IllegalArgumentException("the body must be a JSON object with a non-empty \"Paths\" array, "
                    + "e.g. {\"Paths\":[\"/images/*\"]}");
        }
        List<PathPattern> patterns = new ArrayList<>();
        for (JsonNode path : paths) {
            if (!path.isTextual()) {
                throw new IllegalArgumentException("each path must be a string, not " + path);
            }
            patterns.add(new PathPattern(path.asText()));
        }
        return List.copyOf(patterns);
    }

    private static HttpResponse error(HttpStatus status, String message) {
        ObjectNode body = JSON.createObjectNode().put("Code", "InvalidArgument").put("Message", message);
        return HttpResponse.of(status, MediaType.JSON_UTF_8, body.toString());
    }

    /** An id shaped like CloudFront's: "I" and thirteen letters or digits. */
    private static String newId() {
        StringBuilder id = new StringBuilder("I");
        for (int i = 0; i < 13; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }
}
