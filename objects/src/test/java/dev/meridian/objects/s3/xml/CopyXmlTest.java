package dev.meridian.objects.s3.xml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.objects.multipart.Part;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CopyXmlTest {
    @Test
    void copyObjectResultGivesTimeQuotedEtagAndChecksums() {
        WrittenXml xml = WrittenXml.of(CopyXml.copyObjectResult(
                ListingXmlTest.version("v1", 3, Map.of("CRC32C", "c"))));

        assertThat(xml.rootName()).isEqualTo("CopyObjectResult");
        assertThat(xml.childNames()).containsExactly("LastModified", "ETag", "ChecksumCRC32C");
        assertThat(xml.text("LastModified")).isEqualTo("2009-10-12T17:50:30.000Z");
        assertThat(xml.text("ETag")).isEqualTo("\"9b2cf535f27731c974343645a3985328\"");
    }

    @Test
    void copyPartResultGivesTimeAndQuotedEtag() {
        WrittenXml xml = WrittenXml.of(CopyXml.copyPartResult(new Part(2, 5, "abc", 0, Map.of())));

        assertThat(xml.rootName()).isEqualTo("CopyPartResult");
        assertThat(xml.childNames()).containsExactly("LastModified", "ETag");
        assertThat(xml.text("LastModified")).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(xml.text("ETag")).isEqualTo("\"abc\"");
    }
}
