package dev.meridian.objects.s3.xml;

import dev.meridian.objects.ObjectVersion;
import dev.meridian.objects.blob.Checksum;
import dev.meridian.objects.multipart.Part;
import dev.meridian.objects.multipart.Upload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Multipart upload documents, and the CompleteMultipartUpload body. */
public final class MultipartXml {
    /** S3's limit on parts in one upload, and so on parts one completion may name. */
    public static final int MAX_PARTS = 10_000;
    /** Room for {@link #MAX_PARTS} parts with every checksum and generous layout. */
    public static final int MAX_COMPLETE_BODY_BYTES = 8 * 1024 * 1024;

    private static final Set<String> PART_FIELDS = Checksums.withElements("PartNumber", "ETag");

    private MultipartXml() {}

    public static byte[] initiateMultipartUploadResult(Upload upload) {
        return XmlWriter.s3("InitiateMultipartUploadResult")
                .text("Bucket", upload.bucket())
                .text("Key", upload.key())
                .text("UploadId", upload.uploadId())
                .toBytes();
    }

    /** @param location the new object's URL, e.g. {@code http://host/bucket/key} */
    public static byte[] completeMultipartUploadResult(String location, String bucket, String key,
            ObjectVersion version) {
        return XmlWriter.s3("CompleteMultipartUploadResult")
                .text("Location", location)
                .text("Bucket", bucket)
                .text("Key", key)
                .etag(version.etag())
                .checksums(version.checksums())
                .textIfPresent("ChecksumType", Checksum.typeOf(version.checksums()).orElse(""))
                .toBytes();
    }

    /**
     * ListParts. NextPartNumberMarker is the last part on the page, or {@code partNumberMarker} for an empty page.
     *
     * @param parts this page's parts, in part-number order
     */
    public static byte[] listParts(Upload upload, int partNumberMarker, int maxParts, List<Part> parts,
            boolean truncated, Owner owner) {
        int nextMarker = parts.isEmpty() ? partNumberMarker : parts.get(parts.size() - 1).number();
        XmlWriter xml = XmlWriter.s3("ListPartsResult")
                .text("Bucket", upload.bucket())
                .text("Key", upload.key())
                .text("UploadId", upload.uploadId())
                .number("PartNumberMarker", partNumberMarker)
                .number("NextPartNumberMarker", nextMarker)
                .number("MaxParts", maxParts)
                .bool("IsTruncated", truncated);
        for (Part part : parts) {
            xml.start("Part")
                    .number("PartNumber", part.number())
                    .timestamp("LastModified", part.lastModifiedMillis())
                    .etag(part.etag())
                    .number("Size", part.size())
                    .checksums(part.checksums())
                    .end();
        }
        return xml.owner("Initiator", owner)
                .owner("Owner", owner)
                .text("StorageClass", XmlWriter.STANDARD_STORAGE)
                .textIfPresent("ChecksumAlgorithm", upload.checksumAlgorithm())
                .toBytes();
    }

    /** @param uploadIdMarker the request's upload-id-marker; empty when not sent */
    public static byte[] listMultipartUploads(ListQuery query, String uploadIdMarker, UploadListing page,
            Owner owner) {
        XmlWriter xml = XmlWriter.s3Listing("ListMultipartUploadsResult", query.urlEncoding())
                .text("Bucket", query.bucket())
                .key("KeyMarker", query.marker())
                .text("UploadIdMarker", uploadIdMarker)
                .key("NextKeyMarker", page.nextKeyMarker())
                .text("NextUploadIdMarker", page.nextUploadIdMarker())
                .keyIfPresent("Prefix", query.prefix())
                .keyIfPresent("Delimiter", query.delimiter())
                .number("MaxUploads", query.maxKeys())
                .bool("IsTruncated", page.truncated());
        for (Upload upload : page.uploads()) {
            xml.start("Upload")
                    .key("Key", upload.key())
                    .text("UploadId", upload.uploadId())
                    .owner("Initiator", owner)
                    .owner("Owner", owner)
                    .text("StorageClass", XmlWriter.STANDARD_STORAGE)
                    .timestamp("Initiated", upload.initiatedMillis())
                    .textIfPresent("ChecksumAlgorithm", upload.checksumAlgorithm())
                    .end();
        }
        xml.commonPrefixes(page.commonPrefixes());
        if (query.urlEncoding()) {
            xml.text("EncodingType", "url");
        }
        return xml.toBytes();
    }

    /**
     * CompleteMultipartUpload's body: its parts in the order sent. No parts, more than {@link #MAX_PARTS}, a part
     * without a PartNumber or ETag, or a PartNumber that is not an integer is MalformedXML.
     */
    public static List<CompletedPart> parseCompleteMultipartUpload(byte[] body) {
        XmlElement root = RequestXml.read(body, "CompleteMultipartUpload", MAX_COMPLETE_BODY_BYTES,
                1 + MAX_PARTS * (1 + PART_FIELDS.size()));
        if (root.children().isEmpty() || root.children().size() > MAX_PARTS) {
            throw RequestXml.malformed();
        }
        List<CompletedPart> parts = new ArrayList<>(root.children().size());
        for (XmlElement part : root.children()) {
            if (!part.name().equals("Part")) {
                throw RequestXml.malformed();
            }
            parts.add(completedPart(part));
        }
        return parts;
    }

    private static CompletedPart completedPart(XmlElement part) {
        Map<String, String> fields = part.fields(PART_FIELDS);
        String number = fields.getOrDefault("PartNumber", "").strip();
        String etag = fields.getOrDefault("ETag", "").strip();
        if (etag.isEmpty()) {
            throw RequestXml.malformed();
        }
        try {
            return new CompletedPart(Integer.parseInt(number), etag, Checksums.read(fields));
        } catch (NumberFormatException e) {
            throw RequestXml.malformed();
        }
    }
}
