package dev.meridian.objects.s3.xml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.objects.s3.S3Error;
import dev.meridian.objects.s3.S3Exception;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorXmlTest {
    @Test
    void errorHasNoNamespaceAndListsDetailsBetweenMessageAndRequestId() {
        S3Exception error = new S3Exception(S3Error.NO_SUCH_KEY).with("BucketName", "photos").with("Key", "a&b");

        WrittenXml xml = WrittenXml.of(ErrorXml.error(error, "/photos/a&b", "req-1"));

        assertThat(xml.rootName()).isEqualTo("Error");
        assertThat(xml.namespace()).isNull();
        assertThat(xml.childNames()).containsExactly("Code", "Message", "BucketName", "Key", "Resource", "RequestId");
        assertThat(xml.text("Code")).isEqualTo("NoSuchKey");
        assertThat(xml.text("Message")).isEqualTo("The specified key does not exist.");
        assertThat(xml.text("Key")).isEqualTo("a&b");
        assertThat(xml.text("Resource")).isEqualTo("/photos/a&b");
        assertThat(xml.text("RequestId")).isEqualTo("req-1");
    }

    @Test
    void errorWithoutResourceLeavesItOut() {
        WrittenXml xml = WrittenXml.of(ErrorXml.error(new S3Exception(S3Error.ACCESS_DENIED, "No <way>"), "r"));

        assertThat(xml.childNames()).containsExactly("Code", "Message", "RequestId");
        assertThat(xml.text("Message")).isEqualTo("No <way>");
    }

    @Test
    void documentsStartWithTheUtf8Prolog() {
        byte[] written = ErrorXml.error(new S3Exception(S3Error.INTERNAL_ERROR), "r");

        assertThat(new String(written, StandardCharsets.UTF_8))
                .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    }
}
