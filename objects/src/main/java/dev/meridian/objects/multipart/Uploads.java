package dev.meridian.objects.multipart;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.objects.blob.StagedBlob;
import dev.meridian.objects.s3.S3Error;
import dev.meridian.objects.s3.S3Exception;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Multipart uploads in progress, on local disk: one directory per upload with its description and each part's bytes
 * and description. An upload belongs to the region that created it (as an S3 upload belongs to the bucket's region);
 * only the completed object replicates.
 */
public final class Uploads {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DESCRIPTION = "upload.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path root;

    private Uploads(Path root) {
        this.root = root;
    }

    public static Uploads open(Path dir) {
        try {
            return new Uploads(Files.createDirectories(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the uploads directory " + dir, e);
        }
    }

    public Upload create(Upload request) {
        byte[] id = new byte[24];
        RANDOM.nextBytes(id);
        Upload upload = new Upload(Base64.getUrlEncoder().withoutPadding().encodeToString(id), request.bucket(),
                request.key(), request.initiatedMillis(), request.headers(), request.userMetadata(),
                request.checksumAlgorithm(), request.fullObjectChecksum());
        try {
            Path dir = Files.createDirectory(root.resolve(upload.uploadId()));
            writeAtomically(dir.resolve(DESCRIPTION), JSON.writeValueAsBytes(upload));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create upload " + upload.uploadId(), e);
        }
        return upload;
    }

    /** The upload, or NoSuchUpload when it does not exist or belongs to another bucket or key. */
    public Upload require(String bucket, String key, String uploadId) {
        return find(uploadId).filter(u -> u.bucket().equals(bucket) && u.key().equals(key))
                .orElseThrow(() -> new S3Exception(S3Error.NO_SUCH_UPLOAD).with("UploadId", uploadId));
    }

    /** Makes staged bytes part {@code number} of the upload, replacing an earlier upload of that part. */
    public Part putPart(Upload upload, int number, StagedBlob staged, Part part) {
        Path dir = root.resolve(upload.uploadId());
        try {
            Files.move(staged.file(), dir.resolve(number + ".part"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            writeAtomically(dir.resolve(number + ".json"), JSON.writeValueAsBytes(part));
        } catch (NoSuchFileException e) {
            staged.discard();
            throw new S3Exception(S3Error.NO_SUCH_UPLOAD).with("UploadId", upload.uploadId());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store part " + number + " of upload " + upload.uploadId(), e);
        }
        return part;
    }

    /** The upload's parts, by part number. */
    public List<Part> parts(Upload upload) {
        List<Part> parts = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root.resolve(upload.uploadId()), "*.json")) {
            for (Path file : dir) {
                if (!file.getFileName().toString().equals(DESCRIPTION)) {
                    parts.add(JSON.readValue(file.toFile(), Part.class));
                }
            }
        } catch (NoSuchFileException e) {
            throw new S3Exception(S3Error.NO_SUCH_UPLOAD).with("UploadId", upload.uploadId());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list parts of upload " + upload.uploadId(), e);
        }
        parts.sort(Comparator.comparingInt(Part::number));
        return parts;
    }

    public Path partFile(Upload upload, int number) {
        return root.resolve(upload.uploadId()).resolve(number + ".part");
    }

    /** Every upload in progress in {@code bucket}, by key, then by initiation time. */
    public List<Upload> list(String bucket) {
        List<Upload> uploads = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.forEach(dir -> find(dir.getFileName().toString())
                    .filter(u -> u.bucket().equals(bucket)).ifPresent(uploads::add));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list uploads", e);
        }
        uploads.sort(Comparator.comparing(Upload::key).thenComparingLong(Upload::initiatedMillis)
                .thenComparing(Upload::uploadId));
        return uploads;
    }

    /** Removes the upload and its parts (on abort, or once completed). */
    public void remove(Upload upload) {
        Path dir = root.resolve(upload.uploadId());
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (NoSuchFileException e) {
            // already removed by a concurrent abort or complete
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove upload " + upload.uploadId(), e);
        }
    }

    private Optional<Upload> find(String uploadId) {
        if (uploadId.isEmpty() || uploadId.contains("/") || uploadId.startsWith(".")) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(root.resolve(uploadId).resolve(DESCRIPTION).toFile(), Upload.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(temp, bytes);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
