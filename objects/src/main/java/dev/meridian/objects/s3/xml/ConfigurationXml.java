package dev.meridian.objects.s3.xml;

/**
 * The configuration documents of a bucket (and an object) that was never configured, for the sub-resources whose
 * settings Meridian does not keep: what S3 answers for a new bucket, where that is true of Meridian too.
 */
public final class ConfigurationXml {
    private ConfigurationXml() {}

    /** GetBucketAcl, GetObjectAcl: the owner has full control, and nobody else any grant. */
    public static byte[] ownerOnlyAcl(Owner owner) {
        return XmlWriter.s3("AccessControlPolicy")
                .owner("Owner", owner)
                .start("AccessControlList")
                .start("Grant")
                .start("Grantee", "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"")
                .text("ID", owner.id()).text("DisplayName", owner.displayName())
                .end()
                .text("Permission", "FULL_CONTROL")
                .toBytes();
    }

    /** GetObjectTagging: no tags. */
    public static byte[] emptyTagging() {
        return XmlWriter.s3("Tagging").start("TagSet").toBytes();
    }

    /** GetBucketLogging: server access logging off. */
    public static byte[] loggingOff() {
        return XmlWriter.s3("BucketLoggingStatus").toBytes();
    }

    /** GetBucketNotificationConfiguration: no notifications. */
    public static byte[] noNotifications() {
        return XmlWriter.s3("NotificationConfiguration").toBytes();
    }

    /** GetBucketAccelerateConfiguration: never set. */
    public static byte[] accelerationNeverSet() {
        return XmlWriter.s3("AccelerateConfiguration").toBytes();
    }

    /** GetBucketRequestPayment: the owner pays. */
    public static byte[] ownerPays() {
        return XmlWriter.s3("RequestPaymentConfiguration").text("Payer", "BucketOwner").toBytes();
    }

    /** GetBucketOwnershipControls: ACLs disabled, the bucket owner owns every object (Meridian has no ACLs). */
    public static byte[] bucketOwnerEnforced() {
        return XmlWriter.s3("OwnershipControls").start("Rule").text("ObjectOwnership", "BucketOwnerEnforced")
                .toBytes();
    }

    /** GetPublicAccessBlock: all public access blocked (Meridian has no public access). */
    public static byte[] publicAccessBlocked() {
        return XmlWriter.s3("PublicAccessBlockConfiguration")
                .bool("BlockPublicAcls", true)
                .bool("IgnorePublicAcls", true)
                .bool("BlockPublicPolicy", true)
                .bool("RestrictPublicBuckets", true)
                .toBytes();
    }
}
