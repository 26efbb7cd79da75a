package dev.meridian.core.auth;

import dev.meridian.core.auth.AuthFailure.Reason;

/** A refusal raised while checking a signature; caught once in {@link SigV4Verifier} and turned into its result. */
final class AuthException extends Exception {
    private final AuthFailure failure;

    AuthException(Reason reason, String message) {
        // No stack trace: refusals are routine (and cheap to provoke), not bugs.
        super(message, null, false, false);
        this.failure = new AuthFailure(reason, message);
    }

    AuthFailure failure() {
        return failure;
    }
}
