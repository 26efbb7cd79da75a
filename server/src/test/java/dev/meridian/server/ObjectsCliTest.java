package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS CLI's high-level {@code aws s3} commands (which upload large files as multipart, list with
 * {@code encoding-type=url}, and page through results) and {@code aws s3api} against a real region.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectsCliTest {
    @TempDir
    static Path dir;

    SingleRegion region;
    URI endpoint;

    @BeforeAll
    void start() throws InterruptedException {
        AwsCli.requireInstalled();
        region = SingleRegion.start(dir.resolve("region"));
        endpoint = region.endpoint();
    }

    @AfterAll
    void stop() {
        if (region != null) {
            region.close();
        }
    }

    String aws(String... args) throws IOException, InterruptedException {
        return AwsCli.run(endpoint, SingleRegion.NAME, args);
    }

    @Test
    void copyListSyncAndRemoveWithTheHighLevelCommands() throws Exception {
        aws("s3", "mb", "s3://cli-bucket");
        Path files = Files.createDirectories(dir.resolve("files"));
        byte[] large = new byte[20 * 1024 * 1024];
        new Random(9).nextBytes(large);
        Files.write(files.resolve("large.bin"), large);
        Files.writeString(files.resolve("notes one.txt"), "hello from the cli");
        Files.createDirectories(files.resolve("nested/deeper"));
        Files.writeString(files.resolve("nested/deeper/a+b.txt"), "nested");

        aws("s3", "cp", files.resolve("large.bin").toString(), "s3://cli-bucket/large.bin");
        JsonNode head = new ObjectMapper().readTree(aws("s3api", "head-object", "--bucket", "cli-bucket", "--key", "large.bin"));
        assertThat(head.path("ContentLength").asLong()).isEqualTo(large.length);
        assertThat(head.path("ETag").asText()).as("the CLI uploads 20 MiB in 8 MiB parts").endsWith("-3\"");

        aws("s3", "sync", files.toString(), "s3://cli-bucket/synced/");
        String listing = aws("s3", "ls", "--recursive", "s3://cli-bucket/synced/");
        assertThat(listing).contains("synced/notes one.txt", "synced/nested/deeper/a+b.txt", "synced/large.bin");

        Path back = dir.resolve("back");
        aws("s3", "sync", "s3://cli-bucket/synced/", back.toString());
        assertThat(Files.readAllBytes(back.resolve("large.bin"))).isEqualTo(large);
        assertThat(Files.readString(back.resolve("nested/deeper/a+b.txt"))).isEqualTo("nested");

        aws("s3", "rm", "--recursive", "s3://cli-bucket/");
        assertThat(aws("s3", "ls", "--recursive", "s3://cli-bucket/")).isBlank();
        aws("s3", "rb", "s3://cli-bucket");
        assertThat(aws("s3", "ls")).doesNotContain("cli-bucket");
    }

    @Test
    void lowLevelApiCommands() throws Exception {
        aws("s3api", "create-bucket", "--bucket", "api-bucket");
        Path body = Files.writeString(dir.resolve("body.txt"), "body");
        aws("s3api", "put-object", "--bucket", "api-bucket", "--key", "k", "--body", body.toString(),
                "--content-type", "text/plain", "--metadata", "team=storage");
        JsonNode head = new ObjectMapper().readTree(aws("s3api", "head-object", "--bucket", "api-bucket", "--key", "k"));
        assertThat(head.path("ContentType").asText()).isEqualTo("text/plain");
        assertThat(head.path("Metadata").path("team").asText()).isEqualTo("storage");
        JsonNode list = new ObjectMapper().readTree(aws("s3api", "list-objects-v2", "--bucket", "api-bucket"));
        assertThat(list.path("Contents").get(0).path("Key").asText()).isEqualTo("k");
        aws("s3api", "put-bucket-versioning", "--bucket", "api-bucket", "--versioning-configuration", "Status=Enabled");
        aws("s3api", "put-object", "--bucket", "api-bucket", "--key", "k", "--body", body.toString());
        JsonNode versions = new ObjectMapper().readTree(aws("s3api", "list-object-versions", "--bucket", "api-bucket"));
        assertThat(versions.path("Versions")).hasSize(2);
        aws("s3api", "delete-objects", "--bucket", "api-bucket", "--delete", "Objects=[{Key=k}]");
        JsonNode afterDelete = new ObjectMapper().readTree(aws("s3api", "list-object-versions", "--bucket", "api-bucket"));
        assertThat(afterDelete.path("DeleteMarkers")).hasSize(1);
    }

    @Test
    void presignedUrlsFromTheCliReadTheObjectUntilTheyExpire() throws Exception {
        aws("s3", "mb", "s3://presigned");
        Path file = Files.writeString(dir.resolve("shared report.txt"), "for whoever holds the link");
        aws("s3", "cp", file.toString(), "s3://presigned/reports/shared report.txt");
        aws("s3", "cp", file.toString(), "s3://presigned/reports/other.txt");
        HttpClient http = HttpClient.newHttpClient();

        URI url = URI.create(aws("s3", "presign", "s3://presigned/reports/shared report.txt", "--expires-in", "600")
                .strip());
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(url).build(), BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("for whoever holds the link");

        URI otherKey = URI.create(endpoint + "/presigned/reports/other.txt?" + url.getRawQuery());
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(otherKey).build(), BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("<Code>SignatureDoesNotMatch</Code>");

        URI shortLived = URI.create(aws("s3", "presign", "s3://presigned/reports/shared report.txt", "--expires-in",
                "1").strip());
        Thread.sleep(2_500);
        HttpResponse<String> expired = http.send(HttpRequest.newBuilder(shortLived).build(), BodyHandlers.ofString());
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(expired.body()).contains("<Code>AccessDenied</Code>", "Request has expired");
    }
}
