package dev.meridian.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, and the lowercase hex SigV4 writes hashes and signatures in. */
final class Sha256 {
    /** The hash of no bytes, which a chunk's string to sign carries in place of (absent) chunk headers. */
    static final String EMPTY_HEX = hex(of(new byte[0]));

    private Sha256() {}

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    static byte[] of(byte[] bytes) {
        return newDigest().digest(bytes);
    }

    static byte[] of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
