package dev.meridian.objects.s3;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.stream.StreamMessage;
import dev.meridian.objects.Bucket;
import dev.meridian.objects.ObjectContent;
import dev.meridian.objects.ObjectStore;
import dev.meridian.objects.ObjectVersion;
import dev.meridian.objects.StoredVersion;
import dev.meridian.objects.blob.BlobStreams;
import dev.meridian.objects.blob.Checksum;
import dev.meridian.objects.replication.ObjectReplication;
import dev.meridian.objects.s3.xml.AttributesXml;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * GetObject and HeadObject: the version asked for (or the current one), its conditions, a byte range or part, and
 * the bytes from this region's blob store, or streamed from a region that has them while the copy is still on its
 * way (the read fallback).
 */
final class ObjectReads {
    /** Marks a response whose bytes came from another region because this region's copy had not landed yet. */
    static final String FALLBACK_HEADER = "x-meridian-fallback";
    /** The most parts GetObjectAttributes lists at once, as ListParts. */
    private static final int MAX_PARTS_LISTED = 1000;

    private final ObjectStore store;
    private final ObjectReplication replication;

    ObjectReads(ObjectStore store, ObjectReplication replication) {
        this.store = store;
        this.replication = replication;
    }

    HttpResponse get(S3Request request) {
        boolean head = request.method().equals("HEAD");
        Bucket bucket = store.buckets().require(request.bucket());
        StoredVersion version = resolve(request, bucket);
        ObjectVersion object = version.object();
        ResponseHeadersBuilder headers = S3Responses.headers(HttpStatus.OK, request);
        describe(headers, bucket, version);
        if (Preconditions.evaluate(request, "if-", object) == Preconditions.Outcome.NOT_MODIFIED) {
            return HttpResponse.of(headers.status(HttpStatus.NOT_MODIFIED).build());
        }
        ContentHeaders.response(new ObjectContent(object.headers(), object.userMetadata()), request)
                .forEach(headers::set);
        if ("ENABLED".equals(request.headers().get("x-amz-checksum-mode"))) {
            object.checksums().forEach((algorithm, value) -> headers
                    .set("x-amz-checksum-" + algorithm.toLowerCase(Locale.ROOT), value)
                    .set("x-amz-checksum-type", Checksum.typeOf(value)));
        }
        Optional<ByteRange> range = partRange(request, object, headers);
        if (range.isEmpty()) {
            range = ByteRange.parse(request.headers().get("range"), object.size());
        }
        long offset = range.map(ByteRange::first).orElse(0L);
        long length = range.map(ByteRange::length).orElse(object.size());
        if (range.isPresent()) {
            headers.status(HttpStatus.PARTIAL_CONTENT).set("Content-Range", range.get().contentRange(object.size()));
        }
        headers.contentLength(length);
        if (head || length == 0) {
            return HttpResponse.of(headers.build());
        }
        if (object.hasInlineBytes()) {
            return HttpResponse.of(headers.build(), inlineRange(object, offset, length));
        }
        Optional<Path> local = store.blobs().find(object.blobId());
        if (local.isPresent()) {
            return HttpResponse.of(headers.build(), BlobStreams.rangeBlocking(local.get(), offset, length));
        }
        // Not here yet: streamed from a region that holds the bytes, said in a header so it can be seen and measured.
        ResponseHeaders ready = headers.set(FALLBACK_HEADER, "true").build();
        return HttpResponse.of(replication.readRemote(version, offset, length).handle((body, failure) -> {
            if (failure == null) {
                return HttpResponse.of(ready, body);
            }
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            return S3Responses.error(cause instanceof S3Exception s3 ? s3 : new S3Exception(S3Error.SERVICE_UNAVAILABLE,
                    "Reading the object's bytes from another region failed: " + cause.getMessage() + "; retry"), request);
        }));
    }

    /** GetObjectAttributes: what HeadObject and ListParts would tell, only the attributes asked for. */
    HttpResponse attributes(S3Request request) {
        Bucket bucket = store.buckets().require(request.bucket());
        Set<String> asked = new HashSet<>();
        for (String name : request.header("x-amz-object-attributes").orElse("").split(",")) {
            if (!name.isBlank()) {
                asked.add(name.strip());
            }
        }
        if (asked.isEmpty()) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "The x-amz-object-attributes header specifying the "
                    + "attributes to be retrieved is either missing or empty");
        }
        if (!AttributesXml.ATTRIBUTES.containsAll(asked)) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid attribute name specified.");
        }
        int maxParts = Math.min(MAX_PARTS_LISTED, partsHeader(request, "x-amz-max-parts", MAX_PARTS_LISTED));
        int partNumberMarker = partsHeader(request, "x-amz-part-number-marker", 0);
        ObjectVersion object = resolve(request, bucket).object();
        ResponseHeadersBuilder headers = S3Responses.headers(HttpStatus.OK, request)
                .set("Last-Modified", HttpDates.format(object.lastModifiedMillis()));
        ObjectWrites.versionHeader(headers, bucket, object.versionId());
        return S3Responses.xml(headers,
                AttributesXml.getObjectAttributesOutput(object, asked, partNumberMarker, maxParts));
    }

    private static int partsHeader(S3Request request, String name, int absent) {
        Optional<String> value = request.header(name);
        try {
            int parsed = value.map(v -> Integer.parseInt(v.strip())).orElse(absent);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new S3Exception(S3Error.INVALID_ARGUMENT, "Provided " + name + " not an integer or within integer range")
                .with("ArgumentName", name).with("ArgumentValue", value.orElse(""));
    }

    /** The headers every GET and HEAD of a version carries, and S3's 404s for missing keys and delete markers. */
    private void describe(ResponseHeadersBuilder headers, Bucket bucket, StoredVersion version) {
        ObjectVersion object = version.object();
        headers.set("ETag", object.quotedEtag())
                .set("Last-Modified", HttpDates.format(object.lastModifiedMillis()))
                .set("Accept-Ranges", "bytes");
        if (bucket.versioning() != Bucket.Versioning.OFF || !object.versionId().equals(ObjectVersion.NULL_VERSION)) {
            headers.set("x-amz-version-id", object.versionId());
        }
        replication.status(version).header().ifPresent(status -> headers.set("x-amz-replication-status", status));
        if (object.isMultipart()) {
            headers.set("x-amz-mp-parts-count", Integer.toString(object.partSizes().size()));
        }
    }

    /** The version a read names, or S3's error: NoSuchKey, NoSuchVersion, or a delete marker's 404 / 405. */
    StoredVersion resolve(S3Request request, Bucket bucket) {
        Optional<String> versionId = request.param("versionId");
        if (versionId.isPresent()) {
            if (versionId.get().isEmpty()) {
                throw new S3Exception(S3Error.INVALID_ARGUMENT, "Version id cannot be the empty string")
                        .with("ArgumentName", "versionId").with("ArgumentValue", "");
            }
            StoredVersion version = store.objects().version(bucket.name(), request.key(), versionId.get());
            if (version.object().deleteMarker()) {
                throw new S3Exception(S3Error.METHOD_NOT_ALLOWED)
                        .with("Method", request.method()).with("ResourceType", "DeleteMarker")
                        .withHeader("x-amz-delete-marker", "true")
                        .withHeader("x-amz-version-id", version.object().versionId())
                        .withHeader("Last-Modified", HttpDates.format(version.object().lastModifiedMillis()));
            }
            return version;
        }
        StoredVersion latest = store.objects().latest(bucket.name(), request.key())
                .orElseThrow(() -> new S3Exception(S3Error.NO_SUCH_KEY).with("Key", request.key()));
        if (latest.object().deleteMarker()) {
            throw new S3Exception(S3Error.NO_SUCH_KEY).with("Key", request.key())
                    .withHeader("x-amz-delete-marker", "true")
                    .withHeader("x-amz-version-id", latest.object().versionId());
        }
        return latest;
    }

    /** {@code ?partNumber=N}: that part's bytes (a single-part object has part 1 only). */
    private static Optional<ByteRange> partRange(S3Request request, ObjectVersion object, ResponseHeadersBuilder headers) {
        Optional<String> partNumber = request.param("partNumber");
        if (partNumber.isEmpty()) {
            return Optional.empty();
        }
        int number = MultipartOperations.partNumber(partNumber.get());
        int parts = Math.max(1, object.partSizes().size());
        if (number > parts) {
            throw new S3Exception(S3Error.INVALID_PART, "The requested partnumber is not satisfiable")
                    .with("PartNumberRequested", partNumber.get()).with("ActualPartCount", Integer.toString(parts));
        }
        headers.set("x-amz-mp-parts-count", Integer.toString(parts));
        if (!object.isMultipart()) {
            return object.size() == 0 ? Optional.empty() : Optional.of(new ByteRange(0, object.size() - 1));
        }
        long first = 0;
        for (int i = 0; i < number - 1; i++) {
            first += object.partSizes().get(i);
        }
        return Optional.of(new ByteRange(first, first + object.partSizes().get(number - 1) - 1));
    }

    /** The bytes of a version's range as a stream, wherever they are: for copies (CopyObject, UploadPartCopy). */
    CompletableFuture<StreamMessage<HttpData>> bytes(StoredVersion version, long offset, long length) {
        if (version.object().hasInlineBytes()) {
            return CompletableFuture.completedFuture(inlineRange(version.object(), offset, length));
        }
        Optional<Path> local = store.blobs().find(version.object().blobId());
        if (local.isPresent()) {
            return CompletableFuture.completedFuture(BlobStreams.rangeBlocking(local.get(), offset, length));
        }
        return replication.readRemote(version, offset, length);
    }

    private static StreamMessage<HttpData> inlineRange(ObjectVersion object, long offset, long length) {
        return length == 0 ? StreamMessage.of()
                : StreamMessage.of(HttpData.wrap(object.inline(), (int) offset, (int) length));
    }
}
