package dev.meridian.objects.s3.xml;

import static dev.meridian.objects.s3.xml.Bodies.refused;
import static dev.meridian.objects.s3.xml.Bodies.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.objects.Bucket;
import dev.meridian.objects.s3.S3Error;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BucketXmlTest {
    private static final Owner OWNER = new Owner("owner-id", "owner");
    private static final String NS = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

    @Test
    void listAllMyBucketsNamesOwnerAndEachBucketWithItsCreationTime() {
        List<Bucket> buckets = List.of(new Bucket("a", 1_255_369_830_000L, Bucket.Versioning.OFF, List.of()),
                new Bucket("b", 1_255_369_830_123L, Bucket.Versioning.ENABLED, List.of()));

        WrittenXml xml = WrittenXml.of(BucketXml.listAllMyBuckets(buckets, OWNER));

        assertThat(xml.rootName()).isEqualTo("ListAllMyBucketsResult");
        assertThat(xml.namespace()).isEqualTo(XmlWriter.S3_NAMESPACE);
        assertThat(xml.childNames()).containsExactly("Owner", "Buckets");
        assertThat(xml.text("Owner/ID")).isEqualTo("owner-id");
        assertThat(xml.text("Owner/DisplayName")).isEqualTo("owner");
        assertThat(xml.texts("Buckets/Bucket/Name")).containsExactly("a", "b");
        assertThat(xml.texts("Buckets/Bucket/CreationDate"))
                .containsExactly("2009-10-12T17:50:30.000Z", "2009-10-12T17:50:30.123Z");
    }

    @Test
    void versioningConfigurationIsEmptyUntilConfigured() {
        WrittenXml xml = WrittenXml.of(BucketXml.versioningConfiguration(Bucket.Versioning.OFF));

        assertThat(xml.rootName()).isEqualTo("VersioningConfiguration");
        assertThat(xml.childNames()).isEmpty();
    }

    @Test
    void writtenVersioningConfigurationParsesBackAsTheSameStatus() {
        for (Bucket.Versioning status : List.of(Bucket.Versioning.ENABLED, Bucket.Versioning.SUSPENDED)) {
            assertThat(BucketXml.parseVersioningConfiguration(BucketXml.versioningConfiguration(status)))
                    .isEqualTo(status);
        }
    }

    @Test
    void versioningConfigurationParsesWithoutNamespaceAndWithMfaDeleteDisabled() {
        assertThat(BucketXml.parseVersioningConfiguration(utf8(
                "<VersioningConfiguration><Status> Suspended </Status><MfaDelete>Disabled</MfaDelete>"
                        + "</VersioningConfiguration>"))).isEqualTo(Bucket.Versioning.SUSPENDED);
    }

    @Test
    void versioningConfigurationRefusesWhatS3Refuses() {
        refused(BucketXml::parseVersioningConfiguration, "<VersioningConfiguration" + NS + "/>",
                S3Error.ILLEGAL_VERSIONING_CONFIGURATION);
        refused(BucketXml::parseVersioningConfiguration,
                "<VersioningConfiguration><Status>Disabled</Status></VersioningConfiguration>", S3Error.MALFORMED_XML);
        refused(BucketXml::parseVersioningConfiguration,
                "<VersioningConfiguration><Status>enabled</Status></VersioningConfiguration>", S3Error.MALFORMED_XML);
        refused(BucketXml::parseVersioningConfiguration,
                "<VersioningConfiguration><Status>Enabled</Status><Status>Enabled</Status></VersioningConfiguration>",
                S3Error.MALFORMED_XML);
        refused(BucketXml::parseVersioningConfiguration,
                "<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete>"
                        + "</VersioningConfiguration>", S3Error.NOT_IMPLEMENTED);
        refused(BucketXml::parseVersioningConfiguration,
                "<VersioningConfiguration><Status>Enabled</Status><Other/></VersioningConfiguration>",
                S3Error.MALFORMED_XML);
    }

    @Test
    void versioningConfigurationRefusesMalformedForeignAndOversizedBodies(@TempDir Path dir) throws Exception {
        refused(BucketXml::parseVersioningConfiguration, "", S3Error.MALFORMED_XML);
        refused(BucketXml::parseVersioningConfiguration, "<VersioningConfiguration><Status>Enabled</Status>",
                S3Error.MALFORMED_XML);
        refused(BucketXml::parseVersioningConfiguration, "<Versioning><Status>Enabled</Status></Versioning>",
                S3Error.MALFORMED_XML);
        refused(BucketXml::parseVersioningConfiguration,
                "<VersioningConfiguration xmlns=\"urn:other\"><Status>Enabled</Status></VersioningConfiguration>",
                S3Error.MALFORMED_XML);
        refused(BucketXml::parseVersioningConfiguration, Bodies.externalEntity("VersioningConfiguration",
                "<Status>&xxe;</Status>", Bodies.localFile(dir, "Enabled")), S3Error.MALFORMED_XML);
        refused(BucketXml::parseVersioningConfiguration,
                "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"
                        + " ".repeat(BucketXml.MAX_CONFIGURATION_BYTES), S3Error.MALFORMED_XML);
    }

    @Test
    void locationConstraintIsEmptyForUsEast1AndTheRegionElsewhere() {
        WrittenXml usEast1 = WrittenXml.of(BucketXml.locationConstraint("us-east-1"));
        WrittenXml euWest1 = WrittenXml.of(BucketXml.locationConstraint("eu-west-1"));

        assertThat(usEast1.rootName()).isEqualTo("LocationConstraint");
        assertThat(usEast1.root.getTextContent()).isEmpty();
        assertThat(euWest1.namespace()).isEqualTo(XmlWriter.S3_NAMESPACE);
        assertThat(euWest1.childNames()).isEmpty();
        assertThat(euWest1.root.getTextContent()).isEqualTo("eu-west-1");
    }

    @Test
    void createBucketConfigurationGivesItsLocationConstraint() {
        assertThat(BucketXml.parseCreateBucketConfiguration(utf8("<CreateBucketConfiguration" + NS
                + "><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>")))
                .contains("eu-west-1");
        assertThat(BucketXml.parseCreateBucketConfiguration(utf8(
                "<CreateBucketConfiguration><LocationConstraint/></CreateBucketConfiguration>"))).isEmpty();
        assertThat(BucketXml.parseCreateBucketConfiguration(utf8("<CreateBucketConfiguration/>"))).isEmpty();
    }

    @Test
    void emptyCreateBucketBodyMeansNoConstraint() {
        assertThat(BucketXml.parseCreateBucketConfiguration(new byte[0])).isEmpty();
        assertThat(BucketXml.parseCreateBucketConfiguration(utf8(" \r\n"))).isEmpty();
    }

    @Test
    void createBucketConfigurationRefusesMalformedForeignAndUnsupportedBodies(@TempDir Path dir) throws Exception {
        refused(BucketXml::parseCreateBucketConfiguration, "<CreateBucketConfiguration>", S3Error.MALFORMED_XML);
        refused(BucketXml::parseCreateBucketConfiguration,
                "<BucketConfiguration><LocationConstraint>x</LocationConstraint></BucketConfiguration>",
                S3Error.MALFORMED_XML);
        refused(BucketXml::parseCreateBucketConfiguration,
                "<CreateBucketConfiguration><Region>x</Region></CreateBucketConfiguration>", S3Error.MALFORMED_XML);
        refused(BucketXml::parseCreateBucketConfiguration, "<CreateBucketConfiguration><Tags><Tag><Key>k</Key>"
                + "<Value>v</Value></Tag></Tags></CreateBucketConfiguration>", S3Error.NOT_IMPLEMENTED);
        refused(BucketXml::parseCreateBucketConfiguration, Bodies.entityExpansion("CreateBucketConfiguration",
                "<LocationConstraint>&l9;</LocationConstraint>"), S3Error.MALFORMED_XML);
        refused(BucketXml::parseCreateBucketConfiguration, Bodies.externalEntity("CreateBucketConfiguration",
                "<LocationConstraint>&xxe;</LocationConstraint>", Bodies.localFile(dir, "eu-west-1")),
                S3Error.MALFORMED_XML);
        refused(BucketXml::parseCreateBucketConfiguration, "<CreateBucketConfiguration><!--"
                + "x".repeat(BucketXml.MAX_CONFIGURATION_BYTES) + "--></CreateBucketConfiguration>",
                S3Error.MALFORMED_XML);
    }
}
