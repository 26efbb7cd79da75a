package dev.meridian.server.http;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Picks the API for a request the way AWS endpoints do: a JSON-protocol service is named by its
 * {@code X-Amz-Target} prefix; anything else is an S3 request (not served yet).
 */
final class AwsRouter implements HttpService {
    private final HttpService dynamoDb;

    AwsRouter(HttpService dynamoDb) {
        this.dynamoDb = dynamoDb;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
        if (req.headers().contains("x-amz-target")) {
            // Unknown targets also go to DynamoDB's service, which answers UnknownOperationException as DynamoDB does.
            return dynamoDb.serve(ctx, req);
        }
        return HttpResponse.of(HttpStatus.NOT_IMPLEMENTED, MediaType.XML_UTF_8,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NotImplemented</Code>"
                        + "<Message>This region serves the DynamoDB API (X-Amz-Target: DynamoDB_20120810.*); "
                        + "the S3 API is not available yet.</Message></Error>");
    }
}
