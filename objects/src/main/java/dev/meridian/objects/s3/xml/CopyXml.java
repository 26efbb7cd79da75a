package dev.meridian.objects.s3.xml;

import dev.meridian.objects.ObjectVersion;
import dev.meridian.objects.multipart.Part;
import java.util.Map;

/** The results of CopyObject and UploadPartCopy. */
public final class CopyXml {
    private CopyXml() {}

    /** @param copy the version the copy wrote */
    public static byte[] copyObjectResult(ObjectVersion copy) {
        return copyResult("CopyObjectResult", copy.lastModifiedMillis(), copy.etag(), copy.checksums());
    }

    /** @param copy the part the copy wrote */
    public static byte[] copyPartResult(Part copy) {
        return copyResult("CopyPartResult", copy.lastModifiedMillis(), copy.etag(), copy.checksums());
    }

    private static byte[] copyResult(String root, long lastModifiedMillis, String etag, Map<String, String> checksums) {
        return XmlWriter.s3(root)
                .timestamp("LastModified", lastModifiedMillis)
                .etag(etag)
                .checksums(checksums)
                .toBytes();
    }
}
