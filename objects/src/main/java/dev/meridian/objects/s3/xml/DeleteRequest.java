package dev.meridian.objects.s3.xml;

import java.util.List;

/**
 * A DeleteObjects body.
 *
 * @param quiet whether the result leaves out the objects deleted and reports only failures
 * @param objects the objects to delete, in the order sent: one to {@link DeleteXml#MAX_OBJECTS}
 */
public record DeleteRequest(boolean quiet, List<ObjectIdentifier> objects) {
    public DeleteRequest {
        objects = List.copyOf(objects);
    }
}
