package dev.meridian.objects.s3;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import dev.meridian.objects.s3.xml.ErrorXml;
import dev.meridian.objects.s3.xml.Owner;

/** Builds S3's responses: XML documents, empty successes, and error documents with S3's status codes. */
final class S3Responses {
    /** The one account every configured access key belongs to, as listings name owners. */
    static final Owner OWNER = new Owner("6d6572696469616e2d6c6f63616c2d6163636f756e742d30303030303030303030", "meridian");

    private S3Responses() {}

    static ResponseHeadersBuilder headers(HttpStatus status, S3Request request) {
        return ResponseHeaders.builder(status)
                .add("x-amz-request-id", request.requestId())
                .add("x-amz-id-2", request.requestId());
    }

    static HttpResponse xml(S3Request request, byte[] document) {
        return xml(headers(HttpStatus.OK, request), document);
    }

    static HttpResponse xml(ResponseHeadersBuilder headers, byte[] document) {
        return HttpResponse.of(headers.contentType(MediaType.XML_UTF_8).build(),
                com.linecorp.armeria.common.HttpData.wrap(document));
    }

    static HttpResponse empty(ResponseHeadersBuilder headers) {
        return HttpResponse.of(headers.contentLength(0).build());
    }

    static HttpResponse noContent(S3Request request) {
        return HttpResponse.of(headers(HttpStatus.NO_CONTENT, request).build());
    }

    static HttpResponse error(S3Exception error, S3Request request) {
        return error(error, request.method(), request.resource(), request.requestId());
    }

    /** The error document; a HEAD gets the status alone, as S3 sends no body to HEAD. */
    static HttpResponse error(S3Exception error, String method, String resource, String requestId) {
        ResponseHeadersBuilder headers = ResponseHeaders.builder(HttpStatus.valueOf(error.error().status()))
                .add("x-amz-request-id", requestId)
                .add("x-amz-id-2", requestId);
        error.headers().forEach(headers::add);
        if (method.equals("HEAD")) {
            return HttpResponse.of(headers.build());
        }
        return HttpResponse.of(headers.contentType(MediaType.XML_UTF_8).build(),
                com.linecorp.armeria.common.HttpData.wrap(ErrorXml.error(error, resource, requestId)));
    }
}
