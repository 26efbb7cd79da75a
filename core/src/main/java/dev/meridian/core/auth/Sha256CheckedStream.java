package dev.meridian.core.auth;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Passes a body through, hashing it, and refuses it at its end unless it is the body whose SHA-256 the request
 * signed in x-amz-content-sha256.
 *
 * <p>Not thread-safe: one reader per request body.
 */
final class Sha256CheckedStream extends BlockReadStream {
    private final InputStream body;
    private final String claimedHex;
    private final MessageDigest digest = Sha256.newDigest();
    private boolean checked;

    Sha256CheckedStream(InputStream body, String claimedHex) {
        this.body = body;
        this.claimedHex = claimedHex.toLowerCase(Locale.ROOT);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = body.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
        } else if (n < 0 && !checked) {
            String computed = Sha256.hex(digest.digest());
            if (!computed.equals(claimedHex)) {
                throw PayloadException.sha256Mismatch(claimedHex, computed);
            }
            checked = true;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
