package dev.meridian.server.http;

import com.linecorp.armeria.common.HttpResponse;
import dev.meridian.core.auth.AuthFailure;
import dev.meridian.tables.DynamoError;

/** Shapes a refused signature as each API reports it. */
final class AuthFailures {
    private AuthFailures() {}

    static HttpResponse dynamoDb(AuthFailure failure) {
        DynamoError error = switch (failure.reason()) {
            case MISSING_AUTHENTICATION -> DynamoError.MISSING_AUTHENTICATION_TOKEN;
            case INCOMPLETE_SIGNATURE -> DynamoError.INCOMPLETE_SIGNATURE;
            case UNKNOWN_ACCESS_KEY -> DynamoError.UNRECOGNIZED_CLIENT;
            case SIGNATURE_MISMATCH, EXPIRED -> DynamoError.INVALID_SIGNATURE;
        };
        return DynamoErrors.response(error, failure.message());
    }
}
