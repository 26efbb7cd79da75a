package dev.meridian.objects.s3.xml;

import static dev.meridian.objects.s3.xml.Bodies.refused;
import static dev.meridian.objects.s3.xml.Bodies.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.objects.ObjectVersion;
import dev.meridian.objects.multipart.Part;
import dev.meridian.objects.multipart.Upload;
import dev.meridian.objects.s3.S3Error;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultipartXmlTest {
    private static final Owner OWNER = new Owner("owner-id", "owner");
    private static final Upload UPLOAD = new Upload("up-1", "photos", "a&b.jpg", 1_255_369_830_000L, Map.of(),
            Map.of(), "SHA256", false);

    private static Part part(int number) {
        return new Part(number, 5 << 20, "etag" + number, 1_255_369_830_000L, Map.of("SHA256", "sum" + number));
    }

    /** A CompleteMultipartUpload body as the SDK writes it, built with the writer the responses use. */
    private static byte[] completeBody(int parts) {
        XmlWriter xml = XmlWriter.s3("CompleteMultipartUpload");
        for (int n = 1; n <= parts; n++) {
            xml.start("Part").etag("etag" + n).text("ChecksumSHA256", "sum" + n).number("PartNumber", n).end();
        }
        return xml.toBytes();
    }

    @Test
    void initiateResultNamesBucketKeyAndUploadId() {
        WrittenXml xml = WrittenXml.of(MultipartXml.initiateMultipartUploadResult(UPLOAD));

        assertThat(xml.rootName()).isEqualTo("InitiateMultipartUploadResult");
        assertThat(xml.childNames()).containsExactly("Bucket", "Key", "UploadId");
        assertThat(xml.text("Key")).isEqualTo("a&b.jpg");
    }

    @Test
    void completeResultGivesQuotedEtagAndTheObjectsChecksums() {
        ObjectVersion version = new ObjectVersion("v1", false, "blob", 10, "abc-2", List.of(5L, 5L), 0, "eu",
                Map.of(), Map.of(), Map.of("CRC32", "c-2", "SHA256", "s-2"), null, null);

        WrittenXml xml = WrittenXml.of(MultipartXml.completeMultipartUploadResult("http://h/photos/k", "photos", "k",
                version));

        assertThat(xml.childNames()).containsExactly("Location", "Bucket", "Key", "ETag", "ChecksumCRC32",
                "ChecksumSHA256", "ChecksumType");
        assertThat(xml.text("ETag")).isEqualTo("\"abc-2\"");
        assertThat(xml.text("ChecksumSHA256")).isEqualTo("s-2");
        assertThat(xml.text("ChecksumType")).isEqualTo("COMPOSITE");
    }

    @Test
    void listPartsGivesEachPartAndTheNextMarker() {
        WrittenXml xml = WrittenXml.of(MultipartXml.listParts(UPLOAD, 1, 2, List.of(part(2), part(3)), true, OWNER));

        assertThat(xml.rootName()).isEqualTo("ListPartsResult");
        assertThat(xml.childNames()).containsExactly("Bucket", "Key", "UploadId", "PartNumberMarker",
                "NextPartNumberMarker", "MaxParts", "IsTruncated", "Part", "Part", "Initiator", "Owner",
                "StorageClass", "ChecksumAlgorithm");
        assertThat(xml.childNames("Part"))
                .containsExactly("PartNumber", "LastModified", "ETag", "Size", "ChecksumSHA256");
        assertThat(xml.text("NextPartNumberMarker")).isEqualTo("3");
        assertThat(xml.texts("Part/ETag")).containsExactly("\"etag2\"", "\"etag3\"");
        assertThat(xml.texts("Part/Size")).containsExactly("5242880", "5242880");
        assertThat(xml.text("Initiator/ID")).isEqualTo("owner-id");
        assertThat(xml.text("ChecksumAlgorithm")).isEqualTo("SHA256");
    }

    @Test
    void emptyListPartsPageKeepsTheMarker() {
        Upload plain = new Upload("up", "b", "k", 0, Map.of(), Map.of(), "", false);

        WrittenXml xml = WrittenXml.of(MultipartXml.listParts(plain, 7, 1000, List.of(), false, OWNER));

        assertThat(xml.text("NextPartNumberMarker")).isEqualTo("7");
        assertThat(xml.has("ChecksumAlgorithm")).isFalse();
    }

    @Test
    void listMultipartUploadsNamesEachUploadAndUrlEncodesKeysWhenAsked() {
        UploadListing page = new UploadListing(List.of(UPLOAD), List.of("raw dir/"), true, "a&b.jpg", "up-1");

        WrittenXml xml = WrittenXml.of(MultipartXml.listMultipartUploads(
                new ListQuery("photos", "", "/", 1, "", true), "", page, OWNER));

        assertThat(xml.rootName()).isEqualTo("ListMultipartUploadsResult");
        assertThat(xml.childNames()).containsExactly("Bucket", "KeyMarker", "UploadIdMarker", "NextKeyMarker",
                "NextUploadIdMarker", "Delimiter", "MaxUploads", "IsTruncated", "Upload", "CommonPrefixes",
                "EncodingType");
        assertThat(xml.childNames("Upload")).containsExactly("Key", "UploadId", "Initiator", "Owner", "StorageClass",
                "Initiated", "ChecksumAlgorithm");
        assertThat(xml.text("Upload/Key")).isEqualTo("a%26b.jpg");
        assertThat(xml.text("NextKeyMarker")).isEqualTo("a%26b.jpg");
        assertThat(xml.text("NextUploadIdMarker")).isEqualTo("up-1");
        assertThat(xml.text("CommonPrefixes/Prefix")).isEqualTo("raw%20dir/");
        assertThat(xml.text("Upload/Initiated")).isEqualTo("2009-10-12T17:50:30.000Z");
    }

    @Test
    void completeBodyParsesPartsInTheOrderSentWithChecksums() {
        List<CompletedPart> parts = MultipartXml.parseCompleteMultipartUpload(completeBody(3));

        assertThat(parts).extracting(CompletedPart::partNumber).containsExactly(1, 2, 3);
        assertThat(parts.get(0).etag()).isEqualTo("\"etag1\"");
        assertThat(parts.get(0).unquotedEtag()).isEqualTo("etag1");
        assertThat(parts.get(2).checksums()).isEqualTo(Map.of("SHA256", "sum3"));
    }

    @Test
    void completeBodyAcceptsUnquotedEtagsNoNamespaceAndLayout() {
        List<CompletedPart> parts = MultipartXml.parseCompleteMultipartUpload(utf8("""
                <?xml version="1.0" encoding="UTF-8"?>
                <CompleteMultipartUpload>
                  <!-- parts -->
                  <Part>
                    <PartNumber> 2 </PartNumber>
                    <ETag>abc</ETag>
                  </Part>
                  <Part><ETag><![CDATA["def"]]></ETag><PartNumber>1</PartNumber></Part>
                </CompleteMultipartUpload>
                """));

        assertThat(parts).containsExactly(new CompletedPart(2, "abc", Map.of()), new CompletedPart(1, "\"def\"",
                Map.of()));
        assertThat(parts.get(1).unquotedEtag()).isEqualTo("def");
    }

    @Test
    void completeBodyRefusesMissingOrMalformedParts() {
        String[] bodies = {
            "<CompleteMultipartUpload/>",
            "<CompleteMultipartUpload><Part><ETag>a</ETag></Part></CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag/></Part></CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>a</ETag></Part>"
                    + "</CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><PartNumber>99999999999</PartNumber><ETag>a</ETag></Part>"
                    + "</CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><PartNumber>2</PartNumber><ETag>a</ETag>"
                    + "</Part></CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>a</ETag><Size>1</Size></Part>"
                    + "</CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>a</ETag><ChecksumFOO>x</ChecksumFOO>"
                    + "</Part></CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Upload/></CompleteMultipartUpload>",
            "<CompleteMultipartUpload>text<Part><PartNumber>1</PartNumber><ETag>a</ETag></Part>"
                    + "</CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>a</ETag></Part>",
            "<Complete><Part><PartNumber>1</PartNumber><ETag>a</ETag></Part></Complete>",
            "<x:CompleteMultipartUpload xmlns:x=\"urn:x\"><x:Part><x:PartNumber>1</x:PartNumber><x:ETag>a</x:ETag>"
                    + "</x:Part></x:CompleteMultipartUpload>",
            "",
            "not xml",
        };
        for (String body : bodies) {
            refused(MultipartXml::parseCompleteMultipartUpload, body, S3Error.MALFORMED_XML);
        }
    }

    @Test
    void completeBodyRefusesEntitiesAndDtds(@TempDir Path dir) throws Exception {
        String part = "<Part><PartNumber>1</PartNumber><ETag>&xxe;</ETag></Part>";
        refused(MultipartXml::parseCompleteMultipartUpload,
                Bodies.externalEntity("CompleteMultipartUpload", part, Bodies.localFile(dir, "etag")),
                S3Error.MALFORMED_XML);
        refused(MultipartXml::parseCompleteMultipartUpload, Bodies.entityExpansion("CompleteMultipartUpload",
                "<Part><PartNumber>1</PartNumber><ETag>&l9;</ETag></Part>"), S3Error.MALFORMED_XML);
        refused(MultipartXml::parseCompleteMultipartUpload,
                "<!DOCTYPE CompleteMultipartUpload SYSTEM \"http://127.0.0.1:9/x.dtd\"><CompleteMultipartUpload>"
                        + "<Part><PartNumber>1</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>",
                S3Error.MALFORMED_XML);
    }

    @Test
    void completeBodyTakesTenThousandPartsAndRefusesMore() {
        assertThat(MultipartXml.parseCompleteMultipartUpload(completeBody(MultipartXml.MAX_PARTS)))
                .hasSize(MultipartXml.MAX_PARTS);
        refused(MultipartXml::parseCompleteMultipartUpload, completeBody(MultipartXml.MAX_PARTS + 1),
                S3Error.MALFORMED_XML);
    }

    @Test
    void completeBodyRefusesOversizedBodies() {
        byte[] padded = new byte[MultipartXml.MAX_COMPLETE_BODY_BYTES + 1];
        byte[] body = completeBody(1);
        Arrays.fill(padded, (byte) ' ');
        System.arraycopy(body, 0, padded, 0, body.length);

        refused(MultipartXml::parseCompleteMultipartUpload, padded, S3Error.MALFORMED_XML);
    }
}
