package dev.meridian.sql.postgres;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writes a clone as a tar stream. The size of a file is taken when its entry starts; the copy stops there. */
final class TarSink implements CloneSink, AutoCloseable {
    private final TarArchiveOutputStream tar;

    TarSink(OutputStream out) {
        tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    @Override
    public void directory(String path) throws IOException {
        tar.putArchiveEntry(new TarArchiveEntry(path + "/"));
        tar.closeArchiveEntry();
    }

    @Override
    public void file(String path, Path source) throws IOException {
        // A file the primary is still writing may grow while it is copied: copy exactly the size the entry declares
        // (WAL replay from the backup's start repairs any torn page, as with any online base backup).
        long size = Files.size(source);
        var entry = new TarArchiveEntry(path);
        entry.setSize(size);
        tar.putArchiveEntry(entry);
        try (var in = Files.newInputStream(source)) {
            long copied = in.transferTo(new BoundedOutput(tar, size));
            for (long pad = size - copied; pad > 0; pad--) { // truncated meanwhile: zeros, also repaired by WAL
                tar.write(0);
            }
        }
        tar.closeArchiveEntry();
    }

    @Override
    public void file(String path, byte[] content) throws IOException {
        var entry = new TarArchiveEntry(path);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }

    /** Passes on at most {@code limit} bytes and drops the rest. */
    private static final class BoundedOutput extends OutputStream {
        private final OutputStream out;
        private long left;

        BoundedOutput(OutputStream out, long limit) {
            this.out = out;
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (left > 0) {
                out.write(b);
                left--;
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            int n = (int) Math.min(length, left);
            if (n > 0) {
                out.write(bytes, offset, n);
                left -= n;
            }
        }
    }
}
