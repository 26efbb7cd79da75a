package dev.meridian.objects.replication;

import dev.meridian.objects.blob.Checksum;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Recomputes a multipart object's S3 ETag from its bytes as they stream past: the MD5 of each part's MD5, in order,
 * then {@code -N}. Used to verify a copy without reading it twice.
 */
final class MultipartEtag extends FilterInputStream {
    private final List<Long> partSizes;
    private final MessageDigest part = Checksum.digestOf("MD5");
    private final MessageDigest ofParts = Checksum.digestOf("MD5");
    private int partIndex;
    private long leftInPart;
    private boolean overrun;

    MultipartEtag(InputStream in, List<Long> partSizes) {
        super(in);
        this.partSizes = partSizes;
        this.leftInPart = partSizes.get(0);
        closeFinishedParts();
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            digest(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = in.read(buffer, offset, length);
        if (read > 0) {
            digest(buffer, offset, read);
        }
        return read;
    }

    /** The ETag of the bytes read, or an empty string when they do not fill the parts exactly. */
    String etag() {
        if (overrun || partIndex < partSizes.size()) {
            return "";
        }
        return HexFormat.of().formatHex(ofParts.digest()) + "-" + partSizes.size();
    }

    private void digest(byte[] bytes, int offset, int length) {
        while (length > 0) {
            if (partIndex == partSizes.size()) {
                overrun = true;
                return;
            }
            int take = (int) Math.min(length, leftInPart);
            part.update(bytes, offset, take);
            leftInPart -= take;
            offset += take;
            length -= take;
            closeFinishedParts();
        }
    }

    private void closeFinishedParts() {
        while (partIndex < partSizes.size() && leftInPart == 0) {
            ofParts.update(part.digest());
            partIndex++;
            leftInPart = partIndex < partSizes.size() ? partSizes.get(partIndex) : 0;
        }
    }
}
