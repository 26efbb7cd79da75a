package dev.meridian.objects.s3.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** DeleteObjects: the request body and the result. */
public final class DeleteXml {
    /** S3's limit on objects in one DeleteObjects request. */
    public static final int MAX_OBJECTS = 1000;
    /** Room for {@link #MAX_OBJECTS} keys of the longest length S3 allows, escaped, with their version ids. */
    public static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private static final Set<String> OBJECT_FIELDS = Set.of("Key", "VersionId", "ETag");
    /** Conditions S3 takes only in directory buckets. */
    private static final Set<String> UNSUPPORTED_OBJECT_FIELDS = Set.of("LastModifiedTime", "Size");
    private static final int MAX_ELEMENTS = 2 + MAX_OBJECTS * (1 + OBJECT_FIELDS.size()
            + UNSUPPORTED_OBJECT_FIELDS.size());

    private DeleteXml() {}

    /**
     * DeleteObjects' body. No objects or more than {@link #MAX_OBJECTS}, an object without a Key or with an empty
     * Key or VersionId, or a Quiet that is not a boolean is MalformedXML.
     */
    public static DeleteRequest parseDelete(byte[] body) {
        XmlElement root = RequestXml.read(body, "Delete", MAX_BODY_BYTES, MAX_ELEMENTS);
        List<ObjectIdentifier> objects = new ArrayList<>();
        Optional<Boolean> quiet = Optional.empty();
        for (XmlElement child : root.children()) {
            if (child.name().equals("Object") && objects.size() < MAX_OBJECTS) {
                objects.add(objectIdentifier(child));
            } else if (child.name().equals("Quiet") && quiet.isEmpty() && child.children().isEmpty()) {
                quiet = Optional.of(bool(child.text()));
            } else {
                throw RequestXml.malformed();
            }
        }
        if (objects.isEmpty()) {
            throw RequestXml.malformed();
        }
        return new DeleteRequest(quiet.orElse(false), objects);
    }

    /** @param quiet the request's Quiet: the result then lists only {@code failures} */
    public static byte[] deleteResult(boolean quiet, List<DeletedObject> deleted, List<DeleteFailure> failures) {
        XmlWriter xml = XmlWriter.s3("DeleteResult");
        if (!quiet) {
            for (DeletedObject object : deleted) {
                xml.start("Deleted").text("Key", object.key()).textIfPresent("VersionId", object.versionId());
                if (object.deleteMarker()) {
                    xml.bool("DeleteMarker", true);
                }
                xml.textIfPresent("DeleteMarkerVersionId", object.deleteMarkerVersionId()).end();
            }
        }
        for (DeleteFailure failure : failures) {
            xml.start("Error")
                    .text("Key", failure.key())
                    .textIfPresent("VersionId", failure.versionId())
                    .text("Code", failure.error().code())
                    .text("Message", failure.message())
                    .end();
        }
        return xml.toBytes();
    }

    private static ObjectIdentifier objectIdentifier(XmlElement object) {
        object.refuseUnsupported(UNSUPPORTED_OBJECT_FIELDS);
        Map<String, String> fields = object.fields(OBJECT_FIELDS);
        String key = fields.get("Key");
        String versionId = fields.get("VersionId");
        if (key == null || key.isEmpty() || (versionId != null && versionId.isEmpty())) {
            throw RequestXml.malformed();
        }
        return new ObjectIdentifier(key, Optional.ofNullable(versionId), Optional.ofNullable(fields.get("ETag")));
    }

    /** An {@code xs:boolean}, as Quiet is in S3's schema. */
    private static boolean bool(String text) {
        return switch (text.strip()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw RequestXml.malformed();
        };
    }
}
