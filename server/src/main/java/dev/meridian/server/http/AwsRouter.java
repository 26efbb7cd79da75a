package dev.meridian.server.http;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Picks the API for a request the way AWS endpoints do: a JSON-protocol service is named by its
 * {@code X-Amz-Target} prefix; anything else is an S3 request.
 */
final class AwsRouter implements HttpService {
    private final HttpService dynamoDb;
    private final HttpService s3;

    AwsRouter(HttpService dynamoDb, HttpService s3) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
        if (req.headers().contains("x-amz-target")) {
            // Unknown targets also go to DynamoDB's service, which answers UnknownOperationException as DynamoDB does.
            return dynamoDb.serve(ctx, req);
        }
        return s3.serve(ctx, req);
    }
}
