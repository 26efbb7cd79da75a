package dev.meridian.objects.s3.xml;

import dev.meridian.objects.Bucket;
import dev.meridian.objects.s3.S3Error;
import dev.meridian.objects.s3.S3Exception;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Bucket-level documents: ListBuckets, versioning, location, and the CreateBucket body. */
public final class BucketXml {
    /** Bucket configuration bodies are a few hundred bytes; anything far larger is not one. */
    public static final int MAX_CONFIGURATION_BYTES = 64 * 1024;

    private static final String US_EAST_1 = "us-east-1";
    private static final int MAX_CONFIGURATION_ELEMENTS = 64;

    private BucketXml() {}

    public static byte[] listAllMyBuckets(List<Bucket> buckets, Owner owner) {
        XmlWriter xml = XmlWriter.s3("ListAllMyBucketsResult").owner("Owner", owner).start("Buckets");
        for (Bucket bucket : buckets) {
            xml.start("Bucket").text("Name", bucket.name()).timestamp("CreationDate", bucket.createdMillis()).end();
        }
        return xml.end().toBytes();
    }

    /** GetBucketVersioning: an empty configuration until versioning was first configured, as S3 answers. */
    public static byte[] versioningConfiguration(Bucket.Versioning versioning) {
        XmlWriter xml = XmlWriter.s3("VersioningConfiguration");
        return switch (versioning) {
            case OFF -> xml.toBytes();
            case ENABLED -> xml.text("Status", "Enabled").toBytes();
            case SUSPENDED -> xml.text("Status", "Suspended").toBytes();
        };
    }

    /** GetBucketLocation: empty for us-east-1, which S3 has always written as no constraint. */
    public static byte[] locationConstraint(String region) {
        XmlWriter xml = XmlWriter.s3("LocationConstraint");
        return region.equals(US_EAST_1) ? xml.toBytes() : xml.content(region).toBytes();
    }

    /**
     * PutBucketVersioning's body. A missing Status is IllegalVersioningConfigurationException and any Status but
     * Enabled or Suspended is MalformedXML, as S3 answers; MfaDelete Enabled is NotImplemented.
     */
    public static Bucket.Versioning parseVersioningConfiguration(byte[] body) {
        Map<String, String> fields = RequestXml.read(body, "VersioningConfiguration", MAX_CONFIGURATION_BYTES,
                MAX_CONFIGURATION_ELEMENTS).fields(Set.of("Status", "MfaDelete"));
        String mfaDelete = fields.getOrDefault("MfaDelete", "Disabled").strip();
        if (mfaDelete.equals("Enabled")) {
            throw new S3Exception(S3Error.NOT_IMPLEMENTED, "MFA delete is not supported")
                    .with("ArgumentName", "MfaDelete");
        }
        if (!mfaDelete.equals("Disabled")) {
            throw RequestXml.malformed();
        }
        String status = fields.get("Status");
        if (status == null) {
            throw new S3Exception(S3Error.ILLEGAL_VERSIONING_CONFIGURATION);
        }
        return switch (status.strip()) {
            case "Enabled" -> Bucket.Versioning.ENABLED;
            case "Suspended" -> Bucket.Versioning.SUSPENDED;
            default -> throw RequestXml.malformed();
        };
    }

    /**
     * CreateBucket's optional body: its LocationConstraint, empty when there is no body or no constraint (both mean
     * us-east-1 to S3). Directory-bucket settings and tags are NotImplemented.
     */
    public static Optional<String> parseCreateBucketConfiguration(byte[] body) {
        if (body.length <= MAX_CONFIGURATION_BYTES && isBlank(body)) {
            return Optional.empty();
        }
        XmlElement root = RequestXml.read(body, "CreateBucketConfiguration", MAX_CONFIGURATION_BYTES,
                MAX_CONFIGURATION_ELEMENTS);
        root.refuseUnsupported(Set.of("Location", "Bucket", "Tags"));
        String constraint = root.fields(Set.of("LocationConstraint")).getOrDefault("LocationConstraint", "").strip();
        return constraint.isEmpty() ? Optional.empty() : Optional.of(constraint);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
