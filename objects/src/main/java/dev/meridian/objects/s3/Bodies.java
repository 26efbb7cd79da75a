package dev.meridian.objects.s3;

import dev.meridian.core.auth.PayloadException;
import dev.meridian.objects.ObjectVersion;
import dev.meridian.objects.blob.BlobStore;
import dev.meridian.objects.blob.Checksum;
import dev.meridian.objects.blob.StagedBlob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Set;

/** Reading request bodies: object bytes streamed to the blob store, small XML documents into memory. */
final class Bodies {
    /** The largest XML request body read (a DeleteObjects of 1000 keys of 1 KiB fits). */
    static final int MAX_XML_BYTES = 2 * 1024 * 1024;

    private Bodies() {}

    /**
     * The body's length as the client declared it ({@code x-amz-decoded-content-length} for {@code aws-chunked}
     * bodies, else Content-Length): MissingContentLength when absent, EntityTooLarge above {@code max}.
     */
    static long declaredLength(S3Request request, long max) {
        String declared = request.header("x-amz-decoded-content-length")
                .or(() -> request.header("content-length"))
                .orElseThrow(() -> new S3Exception(S3Error.MISSING_CONTENT_LENGTH));
        long length;
        try {
            length = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "Content-Length is not a number")
                    .with("ArgumentName", "Content-Length").with("ArgumentValue", declared);
        }
        if (length < 0) {
            throw new S3Exception(S3Error.MISSING_CONTENT_LENGTH);
        }
        if (length > max) {
            throw new S3Exception(S3Error.ENTITY_TOO_LARGE).with("ProposedSize", Long.toString(length))
                    .with("MaxSizeAllowed", Long.toString(max));
        }
        return length;
    }

    /** Streams the body to a staging file with the given checksums; the length must be the declared one. */
    static StagedBlob stage(S3Request request, BlobStore blobs, Set<Checksum> checksums, long max) {
        return stage(request, max, () -> blobs.stage(request.body(), checksums, max));
    }

    /**
     * An object's body: in memory when it declares at most {@link ObjectVersion#MAX_INLINE_BYTES} (the bytes may then
     * ride in the object's record), else as {@link #stage}.
     */
    static StagedBlob stageObject(S3Request request, BlobStore blobs, Set<Checksum> checksums, long max) {
        if (declaredLength(request, max) > ObjectVersion.MAX_INLINE_BYTES) {
            return stage(request, blobs, checksums, max);
        }
        return stage(request, max,
                () -> BlobStore.stageInMemory(request.body(), checksums, ObjectVersion.MAX_INLINE_BYTES));
    }

    private static StagedBlob stage(S3Request request, long max, Staging staging) {
        long declared = declaredLength(request, max);
        StagedBlob staged;
        try {
            staged = staging.stage();
        } catch (BlobStore.TooLargeException e) {
            if (declared <= ObjectVersion.MAX_INLINE_BYTES) {
                throw new S3Exception(S3Error.INCOMPLETE_BODY, "The request body is longer than its declared length");
            }
            throw new S3Exception(S3Error.ENTITY_TOO_LARGE).with("MaxSizeAllowed", Long.toString(max));
        } catch (PayloadException e) {
            throw payloadError(e);
        } catch (BlobStore.StorageException e) {
            throw new UncheckedIOException(e); // this region's disk, not the request: logged, answered InternalError
        } catch (IOException e) {
            throw new S3Exception(S3Error.INCOMPLETE_BODY, "The request body ended early: " + e.getMessage());
        }
        if (staged.size() != declared) {
            staged.discard();
            throw new S3Exception(S3Error.INCOMPLETE_BODY);
        }
        return staged;
    }

    @FunctionalInterface
    private interface Staging {
        StagedBlob stage() throws IOException;
    }

    /** Reads a small XML body whole; MalformedXML when it is longer than any valid document. */
    static byte[] readXml(S3Request request) {
        try {
            byte[] body = request.body().readNBytes(MAX_XML_BYTES + 1);
            if (body.length > MAX_XML_BYTES) {
                throw new S3Exception(S3Error.MALFORMED_XML);
            }
            return body;
        } catch (PayloadException e) {
            throw payloadError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static S3Exception payloadError(PayloadException e) {
        S3Error error = Arrays.stream(S3Error.values()).filter(s -> s.code().equals(e.code())).findFirst()
                .orElse(S3Error.INVALID_REQUEST);
        return new S3Exception(error, e.getMessage());
    }
}
