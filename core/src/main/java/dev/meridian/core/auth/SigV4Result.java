package dev.meridian.core.auth;

/** The outcome of verifying one request's signature: {@link Authenticated} or {@link AuthFailure}. */
public sealed interface SigV4Result permits Authenticated, AuthFailure {}
