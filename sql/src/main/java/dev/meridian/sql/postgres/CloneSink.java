package dev.meridian.sql.postgres;

import java.io.IOException;
import java.nio.file.Path;

/** Where a clone of a primary's data directory goes: a directory on this machine, or a tar stream to a region. */
interface CloneSink {
    /** A directory, by its path relative to the data directory. */
    void directory(String path) throws IOException;

    /** A file of the primary's, copied as it is now; throws NoSuchFileException if it was removed meanwhile. */
    void file(String path, Path source) throws IOException;

    /** A file made for the clone (the backup label). */
    void file(String path, byte[] content) throws IOException;
}
