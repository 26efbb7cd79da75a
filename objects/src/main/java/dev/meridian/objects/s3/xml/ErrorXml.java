package dev.meridian.objects.s3.xml;

import dev.meridian.objects.s3.S3Exception;
import java.util.Objects;

/** The S3 error document: {@code <Error>} without a namespace, as S3 writes it. */
public final class ErrorXml {
    private ErrorXml() {}

    public static byte[] error(S3Exception error, String requestId) {
        return error(error, "", requestId);
    }

    /**
     * Code, Message, the exception's {@link S3Exception#details() details} in order, Resource and RequestId.
     *
     * @param resource the resource the request named, e.g. {@code /bucket/key}; empty to leave it out
     */
    public static byte[] error(S3Exception error, String resource, String requestId) {
        XmlWriter xml = XmlWriter.unqualified("Error")
                .text("Code", error.error().code())
                .text("Message", Objects.requireNonNullElse(error.getMessage(), error.error().defaultMessage()));
        error.details().forEach(xml::text);
        return xml.textIfPresent("Resource", resource).text("RequestId", requestId).toBytes();
    }
}
