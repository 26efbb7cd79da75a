package dev.meridian.objects.s3.xml;

import static dev.meridian.objects.s3.xml.Bodies.refused;
import static dev.meridian.objects.s3.xml.Bodies.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.objects.s3.S3Error;
import dev.meridian.objects.s3.S3Exception;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeleteXmlTest {
    /** A Delete body as the SDK writes it, built with the writer the responses use. */
    private static byte[] deleteBody(List<String> keys) {
        XmlWriter xml = XmlWriter.s3("Delete");
        for (String key : keys) {
            xml.start("Object").text("Key", key).end();
        }
        return xml.text("Quiet", "true").toBytes();
    }

    private static List<String> keys(int count) {
        return IntStream.range(0, count).mapToObj(i -> "k" + i).toList();
    }

    @Test
    void deleteBodyGivesObjectsInOrderWithVersionIds() {
        DeleteRequest request = DeleteXml.parseDelete(utf8("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Object><Key>a</Key></Object><Object><VersionId>v1</VersionId><Key>b</Key></Object></Delete>"));

        assertThat(request.quiet()).isFalse();
        assertThat(request.objects()).containsExactly(new ObjectIdentifier("a", Optional.empty(), Optional.empty()),
                new ObjectIdentifier("b", Optional.of("v1"), Optional.empty()));
    }

    @Test
    void keysWrittenWithMarkupWhitespaceAndCarriageReturnsParseBackIntact() {
        String key = " a&b<c>\"d'\r\n\te ";

        DeleteRequest request = DeleteXml.parseDelete(deleteBody(List.of(key)));

        assertThat(request.quiet()).isTrue();
        assertThat(request.objects()).extracting(ObjectIdentifier::key).containsExactly(key);
    }

    @Test
    void parsesTheBodyTheAwsSdkSendsForAKeyWithControlCharacters() {
        // Captured from S3Client.deleteObjects (SDK 2.57) for the key "x&\r\n\t\"y".
        byte[] sent = utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete xmlns=\"http://s3.amazonaws.com/doc/"
                + "2006-03-01/\"><Object><Key>x&amp;&#x0D;&#x0A;\t&quot;y</Key></Object></Delete>");

        assertThat(DeleteXml.parseDelete(sent).objects()).extracting(ObjectIdentifier::key)
                .containsExactly("x&\r\n\t\"y");
    }

    @Test
    void quietIsAnXmlSchemaBoolean() {
        for (String value : List.of("true", "1", " true ")) {
            assertThat(DeleteXml.parseDelete(utf8("<Delete><Quiet>" + value + "</Quiet><Object><Key>a</Key></Object>"
                    + "</Delete>")).quiet()).isTrue();
        }
        assertThat(DeleteXml.parseDelete(utf8("<Delete><Object><Key>a</Key></Object><Quiet>0</Quiet></Delete>"))
                .quiet()).isFalse();
        refused(DeleteXml::parseDelete, "<Delete><Quiet>yes</Quiet><Object><Key>a</Key></Object></Delete>",
                S3Error.MALFORMED_XML);
    }

    @Test
    void deleteBodyRefusesMissingKeysAndMalformedObjects() {
        String[] bodies = {
            "<Delete/>",
            "<Delete><Quiet>true</Quiet></Delete>",
            "<Delete><Object><VersionId>v</VersionId></Object></Delete>",
            "<Delete><Object><Key></Key></Object></Delete>",
            "<Delete><Object><Key>a</Key><VersionId/></Object></Delete>",
            "<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>",
            "<Delete><Object><Key>a</Key><Name>b</Name></Object></Delete>",
            "<Delete><Object><Key><b>a</b></Key></Object></Delete>",
            "<Delete><Object><Key>a</Key></Object><Quiet>true</Quiet><Quiet>true</Quiet></Delete>",
            "<Delete><Item><Key>a</Key></Item></Delete>",
            "<Delete><Object><Key>a</Key></Object>",
            "<DeleteObjects><Object><Key>a</Key></Object></DeleteObjects>",
            "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-02/\"><Object><Key>a</Key></Object></Delete>",
            "",
        };
        for (String body : bodies) {
            refused(DeleteXml::parseDelete, body, S3Error.MALFORMED_XML);
        }
    }

    @Test
    void anETagMakesTheDeleteConditionalWhileDirectoryBucketConditionsAreNotImplemented() {
        DeleteRequest request = DeleteXml.parseDelete(utf8(
                "<Delete><Object><Key>a</Key><ETag>\"e\"</ETag></Object><Object><Key>b</Key></Object></Delete>"));
        assertThat(request.objects()).containsExactly(new ObjectIdentifier("a", Optional.empty(), Optional.of("\"e\"")),
                new ObjectIdentifier("b", Optional.empty(), Optional.empty()));
        refused(DeleteXml::parseDelete, "<Delete><Object><Key>a</Key><Size>3</Size></Object></Delete>",
                S3Error.NOT_IMPLEMENTED);
    }

    @Test
    void deleteBodyRefusesEntitiesAndDtds(@TempDir Path dir) throws Exception {
        refused(DeleteXml::parseDelete, Bodies.externalEntity("Delete", "<Object><Key>&xxe;</Key></Object>",
                Bodies.localFile(dir, "key")), S3Error.MALFORMED_XML);
        refused(DeleteXml::parseDelete, Bodies.entityExpansion("Delete", "<Object><Key>&l9;</Key></Object>"),
                S3Error.MALFORMED_XML);
    }

    @Test
    void deleteBodyTakesAThousandObjectsAndRefusesMore() {
        assertThat(DeleteXml.parseDelete(deleteBody(keys(DeleteXml.MAX_OBJECTS))).objects())
                .hasSize(DeleteXml.MAX_OBJECTS);
        refused(DeleteXml::parseDelete, deleteBody(keys(DeleteXml.MAX_OBJECTS + 1)), S3Error.MALFORMED_XML);
    }

    @Test
    void deleteBodyRefusesOversizedBodies() {
        refused(DeleteXml::parseDelete, "<Delete><Object><Key>"
                + "k".repeat(DeleteXml.MAX_BODY_BYTES) + "</Key></Object></Delete>", S3Error.MALFORMED_XML);
    }

    @Test
    void deleteResultListsDeletedAndFailedObjects() {
        List<DeletedObject> deleted = List.of(new DeletedObject("a", "", false, ""),
                new DeletedObject("b", "", true, "m1"), new DeletedObject("c", "v2", false, ""));
        DeleteFailure failure = DeleteFailure.of(new ObjectIdentifier("d&e", Optional.of("v3"), Optional.empty()),
                new S3Exception(S3Error.ACCESS_DENIED));

        WrittenXml xml = WrittenXml.of(DeleteXml.deleteResult(false, deleted, List.of(failure)));

        assertThat(xml.rootName()).isEqualTo("DeleteResult");
        assertThat(xml.namespace()).isEqualTo(XmlWriter.S3_NAMESPACE);
        assertThat(xml.childNames()).containsExactly("Deleted", "Deleted", "Deleted", "Error");
        assertThat(xml.childNames("Deleted")).containsExactly("Key");
        assertThat(xml.texts("Deleted/DeleteMarker")).containsExactly("true");
        assertThat(xml.texts("Deleted/DeleteMarkerVersionId")).containsExactly("m1");
        assertThat(xml.texts("Deleted/VersionId")).containsExactly("v2");
        assertThat(xml.childNames("Error")).containsExactly("Key", "VersionId", "Code", "Message");
        assertThat(xml.text("Error/Key")).isEqualTo("d&e");
        assertThat(xml.text("Error/Code")).isEqualTo("AccessDenied");
        assertThat(xml.text("Error/Message")).isEqualTo("Access Denied");
    }

    @Test
    void quietDeleteResultListsOnlyFailures() {
        WrittenXml xml = WrittenXml.of(DeleteXml.deleteResult(true, List.of(new DeletedObject("a", "", false, "")),
                List.of(new DeleteFailure("b", "", S3Error.INTERNAL_ERROR, "boom"))));

        assertThat(xml.childNames()).containsExactly("Error");
    }
}
