package dev.meridian.objects;

import java.util.Map;

/**
 * What a client stores with an object's bytes.
 *
 * @param headers content headers (Content-Type, Content-Encoding, Content-Disposition, Content-Language,
 *     Cache-Control, Expires), by canonical name
 * @param userMetadata {@code x-amz-meta-*} headers, by lowercase name without the prefix
 */
public record ObjectContent(Map<String, String> headers, Map<String, String> userMetadata) {
    public ObjectContent {
        headers = Map.copyOf(headers);
        userMetadata = Map.copyOf(userMetadata);
    }
}
