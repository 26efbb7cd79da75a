package dev.meridian.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Calls the small JSON APIs the CLI tools read: the {@code meridian local} control API and regions' admin API. */
final class JsonClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    JsonNode get(URI uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build());
    }

    JsonNode post(URI uri) throws IOException, InterruptedException {
        return post(uri, TIMEOUT);
    }

    /** A POST that may take up to {@code timeout} to answer. */
    JsonNode post(URI uri, Duration timeout) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).timeout(timeout).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** A short reason a call failed, fit for a table cell: "connection refused", "timed out", "HTTP 500: …". */
    static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
            return "timed out after " + TIMEOUT.toSeconds() + " s";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? JSON.nullNode() : parse(request.uri(), response.body());
        if (response.statusCode() / 100 != 2) {
            String reason = body.hasNonNull("error") ? body.get("error").asText() : response.body();
            throw new IOException("HTTP " + response.statusCode() + " from " + request.uri() + ": " + reason);
        }
        return body;
    }

    private static JsonNode parse(URI uri, String body) throws IOException {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IOException("answer from " + uri + " is not JSON: " + abbreviate(body), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }
}
