package dev.meridian.core.auth;

import java.io.IOException;
import java.io.InputStream;

/** A stream whose one-byte read is a block read of one byte, so each body stream has one read path to get right. */
abstract class BlockReadStream extends InputStream {
    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }
}
