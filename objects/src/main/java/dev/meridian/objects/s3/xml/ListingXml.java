package dev.meridian.objects.s3.xml;

import dev.meridian.objects.ObjectEntry;
import dev.meridian.objects.ObjectListing;
import dev.meridian.objects.ObjectVersion;
import dev.meridian.objects.VersionListing;
import dev.meridian.objects.blob.Checksum;

/** The bucket listings: ListObjects, ListObjectsV2 and ListObjectVersions. */
public final class ListingXml {
    private ListingXml() {}

    /** ListObjects (v1): NextMarker only when a delimiter was given and the page is truncated, as S3 does. */
    public static byte[] listObjects(ListQuery query, ObjectListing page, Owner owner) {
        XmlWriter xml = XmlWriter.s3Listing("ListBucketResult", query.urlEncoding())
                .text("Name", query.bucket())
                .key("Prefix", query.prefix())
                .key("Marker", query.marker());
        if (!query.delimiter().isEmpty() && page.truncated() && page.lastKey() != null) {
            xml.key("NextMarker", page.lastKey());
        }
        xml.number("MaxKeys", query.maxKeys())
                .keyIfPresent("Delimiter", query.delimiter())
                .bool("IsTruncated", page.truncated());
        encodingType(xml, query);
        for (ObjectEntry entry : page.contents()) {
            contents(xml, entry, true, owner);
        }
        return xml.commonPrefixes(page.commonPrefixes()).toBytes();
    }

    /**
     * ListObjectsV2.
     *
     * @param continuationToken the request's continuation-token; empty when not sent
     * @param fetchOwner whether the request sent {@code fetch-owner=true}
     * @param nextContinuationToken the opaque token for the next page; empty when the page is not truncated
     */
    public static byte[] listObjectsV2(ListQuery query, String continuationToken, boolean fetchOwner,
            ObjectListing page, String nextContinuationToken, Owner owner) {
        XmlWriter xml = XmlWriter.s3Listing("ListBucketResult", query.urlEncoding())
                .text("Name", query.bucket())
                .key("Prefix", query.prefix())
                .keyIfPresent("Delimiter", query.delimiter())
                .number("MaxKeys", query.maxKeys())
                .number("KeyCount", page.contents().size() + page.commonPrefixes().size())
                .bool("IsTruncated", page.truncated())
                .textIfPresent("ContinuationToken", continuationToken)
                .textIfPresent("NextContinuationToken", nextContinuationToken)
                .keyIfPresent("StartAfter", query.marker());
        encodingType(xml, query);
        for (ObjectEntry entry : page.contents()) {
            contents(xml, entry, fetchOwner, owner);
        }
        return xml.commonPrefixes(page.commonPrefixes()).toBytes();
    }

    /**
     * ListObjectVersions: versions and delete markers interleaved in the listing's order.
     *
     * @param versionIdMarker the request's version-id-marker; empty when not sent
     */
    public static byte[] listVersions(ListQuery query, String versionIdMarker, VersionListing page, Owner owner) {
        XmlWriter xml = XmlWriter.s3Listing("ListVersionsResult", query.urlEncoding())
                .text("Name", query.bucket())
                .key("Prefix", query.prefix())
                .key("KeyMarker", query.marker())
                .text("VersionIdMarker", versionIdMarker);
        if (page.truncated()) {
            xml.key("NextKeyMarker", page.nextKeyMarker()).text("NextVersionIdMarker", page.nextVersionIdMarker());
        }
        xml.number("MaxKeys", query.maxKeys())
                .keyIfPresent("Delimiter", query.delimiter())
                .bool("IsTruncated", page.truncated());
        for (ObjectEntry entry : page.versions()) {
            ObjectVersion version = entry.version();
            xml.start(version.deleteMarker() ? "DeleteMarker" : "Version")
                    .key("Key", entry.key())
                    .text("VersionId", version.versionId())
                    .bool("IsLatest", entry.latest())
                    .timestamp("LastModified", version.lastModifiedMillis());
            if (!version.deleteMarker()) {
                xml.etag(version.etag())
                        .number("Size", version.size())
                        .text("StorageClass", XmlWriter.STANDARD_STORAGE);
                checksumAlgorithms(xml, version);
            }
            xml.owner("Owner", owner).end();
        }
        xml.commonPrefixes(page.commonPrefixes());
        encodingType(xml, query);
        return xml.toBytes();
    }

    private static void contents(XmlWriter xml, ObjectEntry entry, boolean withOwner, Owner owner) {
        ObjectVersion version = entry.version();
        xml.start("Contents")
                .key("Key", entry.key())
                .timestamp("LastModified", version.lastModifiedMillis())
                .etag(version.etag())
                .number("Size", version.size())
                .text("StorageClass", XmlWriter.STANDARD_STORAGE);
        if (withOwner) {
            xml.owner("Owner", owner);
        }
        checksumAlgorithms(xml, version);
        xml.end();
    }

    private static void checksumAlgorithms(XmlWriter xml, ObjectVersion version) {
        for (String algorithm : Checksums.ALGORITHMS) {
            if (version.checksums().containsKey(algorithm)) {
                xml.text("ChecksumAlgorithm", algorithm);
            }
        }
        xml.textIfPresent("ChecksumType", Checksum.typeOf(version.checksums()).orElse(""));
    }

    private static void encodingType(XmlWriter xml, ListQuery query) {
        if (query.urlEncoding()) {
            xml.text("EncodingType", "url");
        }
    }
}
