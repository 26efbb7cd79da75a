package dev.meridian.objects.s3;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import dev.meridian.objects.Bucket;
import dev.meridian.objects.ObjectContent;
import dev.meridian.objects.ObjectStore;
import dev.meridian.objects.ObjectVersion;
import dev.meridian.objects.StoredVersion;
import dev.meridian.objects.blob.Checksum;
import dev.meridian.objects.blob.StagedBlob;
import dev.meridian.objects.multipart.Part;
import dev.meridian.objects.multipart.Upload;
import dev.meridian.objects.s3.xml.CopyXml;
import dev.meridian.objects.s3.xml.MultipartXml;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Multipart uploads: CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload,
 * AbortMultipartUpload, ListParts. (ListMultipartUploads is a bucket listing, in {@link ListOperations}.)
 */
final class MultipartOperations {
    static final int MAX_PARTS = 10_000;

    private final ObjectStore store;
    private final ObjectWrites writes;
    private final Clock clock;

    MultipartOperations(ObjectStore store, ObjectWrites writes, Clock clock) {
        this.store = store;
        this.writes = writes;
        this.clock = clock;
    }

    HttpResponse create(S3Request request) {
        store.buckets().require(request.bucket());
        ObjectWrites.checkKey(request.key());
        ObjectContent content = ContentHeaders.of(request);
        String algorithm = request.header("x-amz-checksum-algorithm")
                .map(name -> ChecksumExpectations.algorithm(name).name())
                .orElse("");
        String checksumType = checksumType(request, algorithm);
        Upload upload = store.uploads().create(new Upload("", request.bucket(), request.key(), clock.millis(),
                content.headers(), content.userMetadata(), algorithm, checksumType.equals(Checksum.FULL_OBJECT)));
        ResponseHeadersBuilder headers = S3Responses.headers(HttpStatus.OK, request);
        if (!algorithm.isEmpty()) {
            headers.set("x-amz-checksum-algorithm", algorithm).set("x-amz-checksum-type", checksumType);
        }
        return S3Responses.xml(headers, MultipartXml.initiateMultipartUploadResult(upload));
    }

    /**
     * The checksum type of an upload with {@code algorithm} (empty: none): the one asked for, else S3's default for
     * the algorithm, FULL_OBJECT for CRC64NVME and COMPOSITE for the others. A type the algorithm cannot have
     * (the digests cannot combine; CRC64NVME is full-object only) is refused as S3 refuses it.
     */
    private static String checksumType(S3Request request, String algorithm) {
        Optional<String> asked = request.header("x-amz-checksum-type").map(t -> t.trim().toUpperCase(Locale.ROOT));
        if (algorithm.isEmpty()) {
            if (asked.isPresent()) {
                throw new S3Exception(S3Error.INVALID_REQUEST,
                        "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
            }
            return "";
        }
        Checksum checksum = Checksum.named(algorithm).orElseThrow();
        String type = asked.orElse(checksum == Checksum.CRC64NVME ? Checksum.FULL_OBJECT : Checksum.COMPOSITE);
        boolean possible = switch (type) {
            case Checksum.FULL_OBJECT -> checksum.combination().isPresent();
            case Checksum.COMPOSITE -> checksum != Checksum.CRC64NVME;
            default -> throw new S3Exception(S3Error.INVALID_REQUEST, "Value for x-amz-checksum-type header is invalid.");
        };
        if (!possible) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "The " + type + " checksum type cannot be used with the "
                    + algorithm.toLowerCase(Locale.ROOT) + " checksum algorithm.");
        }
        return type;
    }

    HttpResponse uploadPart(S3Request request) {
        int number = partNumber(request.param("partNumber").orElse(""));
        Upload upload = upload(request);
        ChecksumExpectations checks = ChecksumExpectations.of(request);
        StagedBlob staged = Bodies.stage(request, store.blobs(), checks.algorithms(), ObjectStore.MAX_PUT_BYTES);
        checks.verify(staged, request.trailers().get());
        Part part = storePart(upload, number, staged);
        ResponseHeadersBuilder headers = S3Responses.headers(HttpStatus.OK, request).set("ETag", '"' + part.etag() + '"');
        part.checksums().forEach((algorithm, value) -> headers.set("x-amz-checksum-" + algorithm.toLowerCase(), value));
        return S3Responses.empty(headers);
    }

    /** UploadPartCopy: a part from a range ({@code x-amz-copy-source-range}) of an existing object. */
    HttpResponse uploadPartCopy(S3Request request) {
        int number = partNumber(request.param("partNumber").orElse(""));
        Upload upload = upload(request);
        StoredVersion from = writes.sourceVersion(request, CopySource.parse(request.headers().get("x-amz-copy-source")));
        long size = from.object().size();
        ByteRange range = request.header("x-amz-copy-source-range")
                .map(header -> copyRange(header, size))
                .orElse(size == 0 ? new ByteRange(0, -1) : new ByteRange(0, size - 1));
        Optional<Checksum> algorithm = Checksum.named(upload.checksumAlgorithm());
        StagedBlob staged = writes.copyBytes(from, range.first(), range.length(),
                algorithm.map(Set::of).orElse(Set.of()), false);
        Part part = storePart(upload, number, staged);
        ResponseHeadersBuilder headers = S3Responses.headers(HttpStatus.OK, request);
        if (!from.object().versionId().equals(ObjectVersion.NULL_VERSION)) {
            headers.set("x-amz-copy-source-version-id", from.object().versionId());
        }
        return S3Responses.xml(headers, CopyXml.copyPartResult(part));
    }

    HttpResponse complete(S3Request request) {
        Bucket bucket = store.buckets().require(request.bucket());
        Upload upload = upload(request);
        List<ObjectStore.RequestedPart> parts = MultipartXml.parseCompleteMultipartUpload(Bodies.readXml(request)).stream()
                .map(p -> new ObjectStore.RequestedPart(p.partNumber(), p.etag()))
                .toList();
        // A full-object upload's client may send the whole object's checksum to be checked against the parts'.
        Optional<String> expectedChecksum = upload.fullObjectChecksum()
                ? request.header("x-amz-checksum-" + upload.checksumAlgorithm().toLowerCase(Locale.ROOT))
                : Optional.empty();
        StoredVersion stored = store.complete(bucket, upload, parts, expectedChecksum);
        ResponseHeadersBuilder headers = S3Responses.headers(HttpStatus.OK, request);
        ObjectWrites.versionHeader(headers, bucket, stored.object().versionId());
        return S3Responses.xml(headers, MultipartXml.completeMultipartUploadResult(
                "/" + request.bucket() + "/" + request.key(), request.bucket(), request.key(), stored.object()));
    }

    HttpResponse abort(S3Request request) {
        store.uploads().remove(upload(request));
        return S3Responses.noContent(request);
    }

    HttpResponse listParts(S3Request request) {
        Upload upload = upload(request);
        int maxParts = ListOperations.maxKeys(request, "max-parts", 1000);
        int marker = request.param("part-number-marker").map(MultipartOperations::marker).orElse(0);
        List<Part> after = store.uploads().parts(upload).stream().filter(p -> p.number() > marker).toList();
        boolean truncated = after.size() > maxParts;
        List<Part> page = truncated ? after.subList(0, maxParts) : after;
        return S3Responses.xml(request, MultipartXml.listParts(upload, marker, maxParts, page, truncated,
                S3Responses.OWNER));
    }

    private Part storePart(Upload upload, int number, StagedBlob staged) {
        return store.uploads().putPart(upload, number, staged, new Part(number, staged.size(),
                HexFormat.of().formatHex(staged.md5()), clock.millis(), ObjectStore.base64(staged.checksums())));
    }

    private Upload upload(S3Request request) {
        store.buckets().require(request.bucket());
        return store.uploads().require(request.bucket(), request.key(), request.param("uploadId").orElse(""));
    }

    /** A part number, 1 to 10000, as S3 words its refusal of anything else. */
    static int partNumber(String value) {
        try {
            int number = Integer.parseInt(value);
            if (number >= 1 && number <= MAX_PARTS) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new S3Exception(S3Error.INVALID_ARGUMENT, "Part number must be an integer between 1 and 10000, inclusive")
                .with("ArgumentName", "partNumber").with("ArgumentValue", value);
    }

    private static int marker(String value) {
        try {
            return Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "Provided part-number-marker not an integer or within "
                    + "integer range").with("ArgumentName", "part-number-marker").with("ArgumentValue", value);
        }
    }

    /** {@code bytes=first-last}, both required and within the source, as UploadPartCopy demands. */
    private static ByteRange copyRange(String header, long size) {
        Matcher m = Pattern.compile("bytes=(\\d+)-(\\d+)").matcher(header.trim());
        if (m.matches()) {
            long first = Long.parseLong(m.group(1));
            long last = Long.parseLong(m.group(2));
            if (first <= last && last < size) {
                return new ByteRange(first, last);
            }
        }
        throw new S3Exception(S3Error.INVALID_ARGUMENT, "The x-amz-copy-source-range value must be of the form "
                + "bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
                .with("ArgumentName", "x-amz-copy-source-range").with("ArgumentValue", header);
    }
}
