package dev.meridian.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectVersionJsonTest {
    @Test
    void inlineBytesSurviveTheRecordEncoding() {
        byte[] bytes = {0, 1, 2, (byte) 0xff, 10, 13};
        var version = new ObjectVersion("null", false, "", bytes.length, "etag", List.of(), 5, "eu-west-1", Map.of(),
                Map.of(), Map.of(), null, bytes);

        ObjectVersion decoded = Json.decode(Json.encode(version), ObjectVersion.class);

        assertThat(decoded.hasInlineBytes()).isTrue();
        assertThat(decoded.inline()).containsExactly(bytes);
        assertThat(decoded.size()).isEqualTo(6);
    }

    @Test
    void aVersionWithABlobHasNoInlineFieldAndDecodesWithout() {
        var version = new ObjectVersion("null", false, "blob-1", 3, "etag", List.of(), 5, "eu-west-1", Map.of(),
                Map.of(), Map.of(), 0x8a9136aa, null);

        byte[] json = Json.encode(version);

        assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("inline");
        ObjectVersion decoded = Json.decode(json, ObjectVersion.class);
        assertThat(decoded.hasInlineBytes()).isFalse();
        assertThat(decoded.blobCrc32c()).isEqualTo(0x8a9136aa);
    }

    @Test
    void aRecordWrittenBeforeBlobCrcsWereRecordedDecodesWithNone() {
        String json = "{\"versionId\":\"null\",\"deleteMarker\":false,\"blobId\":\"blob-1\",\"size\":3,"
                + "\"etag\":\"etag\",\"partSizes\":[],\"lastModifiedMillis\":5,\"origin\":\"eu-west-1\","
                + "\"headers\":{},\"userMetadata\":{},\"checksums\":{}}";

        ObjectVersion decoded = Json.decode(json.getBytes(StandardCharsets.UTF_8), ObjectVersion.class);

        assertThat(decoded.blobCrc32c()).isNull();
        assertThat(decoded.blobId()).isEqualTo("blob-1");
    }

    @Test
    void inlineBytesMustBeTheWholeObjectAndExcludeABlob() {
        assertThatThrownBy(() -> new ObjectVersion("null", false, "", 4, "e", List.of(), 5, "eu", Map.of(), Map.of(),
                Map.of(), null, new byte[3])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ObjectVersion("null", false, "blob-1", 3, "e", List.of(), 5, "eu", Map.of(),
                Map.of(), Map.of(), null, new byte[3])).isInstanceOf(IllegalArgumentException.class);
    }
}
