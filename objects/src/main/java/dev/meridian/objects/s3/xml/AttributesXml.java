package dev.meridian.objects.s3.xml;

import dev.meridian.objects.ObjectVersion;
import dev.meridian.objects.blob.Checksum;
import java.util.List;
import java.util.Set;

/** GetObjectAttributes' answer: only the attributes asked for, in the order of S3's model. */
public final class AttributesXml {
    /** The attributes {@code x-amz-object-attributes} may name. */
    public static final Set<String> ATTRIBUTES = Set.of("ETag", "Checksum", "ObjectParts", "StorageClass",
            "ObjectSize");

    private AttributesXml() {}

    /**
     * @param asked attributes from {@link #ATTRIBUTES}
     * @param partNumberMarker parts up to this number are left out of ObjectParts
     * @param maxParts at most this many parts are listed
     */
    public static byte[] getObjectAttributesOutput(ObjectVersion version, Set<String> asked, int partNumberMarker,
            int maxParts) {
        XmlWriter xml = XmlWriter.s3("GetObjectAttributesOutput");
        if (asked.contains("ETag")) {
            xml.text("ETag", version.etag()); // unquoted here, unlike everywhere else
        }
        if (asked.contains("Checksum") && !version.checksums().isEmpty()) {
            xml.start("Checksum").checksums(version.checksums())
                    .textIfPresent("ChecksumType", Checksum.typeOf(version.checksums()).orElse(""))
                    .end();
        }
        if (asked.contains("ObjectParts") && version.isMultipart()) {
            parts(xml, version.partSizes(), partNumberMarker, maxParts);
        }
        if (asked.contains("StorageClass")) {
            xml.text("StorageClass", XmlWriter.STANDARD_STORAGE);
        }
        if (asked.contains("ObjectSize")) {
            xml.number("ObjectSize", version.size());
        }
        return xml.toBytes();
    }

    private static void parts(XmlWriter xml, List<Long> sizes, int partNumberMarker, int maxParts) {
        int first = Math.min(partNumberMarker, sizes.size());
        int last = (int) Math.min(sizes.size(), (long) first + maxParts);
        xml.start("ObjectParts")
                .number("PartsCount", sizes.size())
                .number("PartNumberMarker", partNumberMarker)
                .number("MaxParts", maxParts)
                .bool("IsTruncated", last < sizes.size());
        if (last > first) {
            xml.number("NextPartNumberMarker", last);
        }
        for (int i = first; i < last; i++) {
            xml.start("Part").number("PartNumber", i + 1).number("Size", sizes.get(i)).end();
        }
        xml.end();
    }
}
