package dev.meridian.core.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** Reads the CRLF-terminated lines of aws-chunked framing, bounded so a body cannot make us hold an endless line. */
final class CrlfLines {
    private CrlfLines() {}

    /**
     * Reads one line, without its CRLF, byte by byte: {@code in} should be buffered.
     *
     * @param max the longest line accepted, CRLF not counted
     * @param malformed the refusal for a line that is too long or not CRLF-terminated
     */
    static String read(InputStream in, int max, Function<String, PayloadException> malformed) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(Math.min(max, 128));
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw truncated();
            }
            if (b == '\r') {
                readLf(in, malformed, "CR not followed by LF");
                return line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                throw malformed.apply("LF not preceded by CR");
            }
            if (line.size() >= max) {
                throw malformed.apply("line longer than " + max + " bytes");
            }
            line.write(b);
        }
    }

    /** Reads the CRLF that must follow a chunk's data, or end an aws-chunked body without trailers. */
    static void readCrlf(InputStream in, String after) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw truncated();
        }
        if (b != '\r') {
            throw PayloadException.malformedChunk("no CRLF after " + after);
        }
        readLf(in, PayloadException::malformedChunk, "no CRLF after " + after);
    }

    private static void readLf(InputStream in, Function<String, PayloadException> malformed, String otherwise)
            throws IOException {
        int b = in.read();
        if (b < 0) {
            throw truncated();
        }
        if (b != '\n') {
            throw malformed.apply(otherwise);
        }
    }

    private static PayloadException truncated() {
        return PayloadException.incompleteBody("the body ends inside its aws-chunked framing");
    }
}
