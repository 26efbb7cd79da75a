package dev.meridian.objects.s3.xml;

import dev.meridian.objects.s3.S3Error;
import dev.meridian.objects.s3.S3Exception;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One element of a request body, by local name.
 *
 * @param text the element's text exactly as sent (entities resolved); empty for an element with children
 */
record XmlElement(String name, String text, List<XmlElement> children) {
    XmlElement {
        children = List.copyOf(children);
    }

    /**
     * The text of each child by name, for an element whose children are all simple values. Refuses a child not in
     * {@code allowed}, a repeated one, and one with children of its own.
     */
    Map<String, String> fields(Set<String> allowed) {
        Map<String, String> fields = new HashMap<>();
        for (XmlElement child : children) {
            if (!allowed.contains(child.name) || !child.children.isEmpty()
                    || fields.put(child.name, child.text) != null) {
                throw RequestXml.malformed();
            }
        }
        return fields;
    }

    /** Refuses with NotImplemented when a child names a feature that S3 has and Meridian does not. */
    void refuseUnsupported(Set<String> unsupported) {
        for (XmlElement child : children) {
            if (unsupported.contains(child.name)) {
                throw new S3Exception(S3Error.NOT_IMPLEMENTED, child.name + " is not supported")
                        .with("ArgumentName", child.name);
            }
        }
    }
}
