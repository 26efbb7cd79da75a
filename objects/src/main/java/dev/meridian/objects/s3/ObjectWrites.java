package dev.meridian.objects.s3;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.stream.StreamMessage;
import dev.meridian.objects.Bucket;
import dev.meridian.objects.ObjectCatalog;
import dev.meridian.objects.ObjectContent;
import dev.meridian.objects.ObjectStore;
import dev.meridian.objects.ObjectVersion;
import dev.meridian.objects.StoredVersion;
import dev.meridian.objects.blob.BlobStore;
import dev.meridian.objects.blob.BodyInputStream;
import dev.meridian.objects.blob.Checksum;
import dev.meridian.objects.blob.StagedBlob;
import dev.meridian.objects.s3.xml.CopyXml;
import dev.meridian.objects.s3.xml.DeleteFailure;
import dev.meridian.objects.s3.xml.DeleteRequest;
import dev.meridian.objects.s3.xml.DeleteXml;
import dev.meridian.objects.s3.xml.DeletedObject;
import dev.meridian.objects.s3.xml.ObjectIdentifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/** PutObject, CopyObject, DeleteObject and DeleteObjects. */
final class ObjectWrites {
    /** S3's longest key, in UTF-8 bytes. */
    static final int MAX_KEY_BYTES = 1024;

    private final ObjectStore store;
    private final ObjectReads reads;

    ObjectWrites(ObjectStore store, ObjectReads reads) {
        this.store = store;
        this.reads = reads;
    }

    HttpResponse put(S3Request request) {
        Bucket bucket = store.buckets().require(request.bucket());
        checkKey(request.key());
        Bodies.declaredLength(request, ObjectStore.MAX_PUT_BYTES);
        ObjectContent content = ContentHeaders.of(request);
        ChecksumExpectations checks = ChecksumExpectations.of(request);
        StagedBlob staged = Bodies.stageObject(request, store.blobs(), checks.algorithms(), ObjectStore.MAX_PUT_BYTES);
        checks.verify(staged, request.trailers().get());
        StoredVersion stored = store.put(bucket, request.key(), staged, content, writeConditions(request));
        ResponseHeadersBuilder headers = S3Responses.headers(HttpStatus.OK, request)
                .set("ETag", stored.object().quotedEtag());
        versionHeader(headers, bucket, stored.object().versionId());
        checksumHeaders(headers, stored.object(), checks.algorithms());
        return S3Responses.empty(headers);
    }

    /** CopyObject: a new version of the destination from the source's bytes, its metadata copied or replaced. */
    HttpResponse copy(S3Request request) {
        Bucket bucket = store.buckets().require(request.bucket());
        checkKey(request.key());
        CopySource source = CopySource.parse(request.headers().get("x-amz-copy-source"));
        StoredVersion from = sourceVersion(request, source);
        String directive = request.header("x-amz-metadata-directive").orElse("COPY");
        if (!directive.equals("COPY") && !directive.equals("REPLACE")) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "Unknown metadata directive.")
                    .with("ArgumentName", "x-amz-metadata-directive").with("ArgumentValue", directive);
        }
        if (directive.equals("COPY") && source.bucket().equals(request.bucket()) && source.key().equals(request.key())
                && source.versionId() == null) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "This copy request is illegal because it is trying to copy an "
                    + "object to itself without changing the object's metadata, storage class, website redirect "
                    + "location or encryption attributes.");
        }
        ObjectVersion object = from.object();
        ObjectContent content = directive.equals("REPLACE") ? ContentHeaders.of(request)
                : new ObjectContent(object.headers(), object.userMetadata());
        Set<Checksum> algorithms = ChecksumExpectations.of(request).algorithms();
        StagedBlob staged = copyBytes(from, 0, object.size(), algorithms, true);
        StoredVersion stored = store.put(bucket, request.key(), staged, content, ObjectCatalog.UNCONDITIONAL);
        ResponseHeadersBuilder headers = S3Responses.headers(HttpStatus.OK, request);
        versionHeader(headers, bucket, stored.object().versionId());
        if (!object.versionId().equals(ObjectVersion.NULL_VERSION)) {
            headers.set("x-amz-copy-source-version-id", object.versionId());
        }
        return S3Responses.xml(headers, CopyXml.copyObjectResult(stored.object()));
    }

    /** The version a copy reads, after its {@code x-amz-copy-source-if-*} conditions. */
    StoredVersion sourceVersion(S3Request request, CopySource source) {
        Bucket sourceBucket = store.buckets().require(source.bucket());
        StoredVersion from = source.versionId() != null
                ? store.objects().version(sourceBucket.name(), source.key(), source.versionId())
                : store.objects().latest(sourceBucket.name(), source.key())
                        .orElseThrow(() -> new S3Exception(S3Error.NO_SUCH_KEY).with("Key", source.key()));
        if (from.object().deleteMarker()) {
            throw source.versionId() != null
                    ? new S3Exception(S3Error.INVALID_REQUEST, "The source of a copy request may not specifically "
                            + "refer to a delete marker by version id.")
                    : new S3Exception(S3Error.NO_SUCH_KEY).with("Key", source.key());
        }
        if (Preconditions.evaluate(request, "x-amz-copy-source-if-", from.object()) == Preconditions.Outcome.NOT_MODIFIED) {
            throw new S3Exception(S3Error.PRECONDITION_FAILED).with("Condition", "x-amz-copy-source-If-None-Match");
        }
        if (from.object().size() > ObjectStore.MAX_PUT_BYTES) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "The specified copy source is larger than the maximum "
                    + "allowable size for a copy source: " + ObjectStore.MAX_PUT_BYTES);
        }
        return from;
    }

    /**
     * Stages a range of a version's bytes, from this region's copy or another region's; in memory when they are for a
     * whole object small enough to ride in its record.
     */
    StagedBlob copyBytes(StoredVersion from, long offset, long length, Set<Checksum> algorithms, boolean forObject) {
        StreamMessage<HttpData> source = reads.bytes(from, offset, length).join();
        try (InputStream in = BodyInputStream.of(source, source.defaultSubscriberExecutor())) {
            return forObject && length <= ObjectVersion.MAX_INLINE_BYTES
                    ? BlobStore.stageInMemory(in, algorithms, ObjectVersion.MAX_INLINE_BYTES)
                    : store.blobs().stage(in, algorithms, ObjectStore.MAX_PUT_BYTES);
        } catch (CompletionException e) {
            throw e.getCause() instanceof S3Exception s3 ? s3 : e;
        } catch (IOException e) {
            throw new S3Exception(S3Error.SERVICE_UNAVAILABLE, "Reading the copy source failed: " + e.getMessage()
                    + "; retry the request");
        }
    }

    HttpResponse delete(S3Request request) {
        Bucket bucket = store.buckets().require(request.bucket());
        String versionId = request.param("versionId").orElse(null);
        if (versionId != null && versionId.isEmpty()) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "Version id cannot be the empty string")
                    .with("ArgumentName", "versionId").with("ArgumentValue", "");
        }
        ObjectCatalog.DeleteOutcome outcome = store.delete(bucket, request.key(), versionId,
                ifMatch(request.header("if-match"), request.key()));
        ResponseHeadersBuilder headers = S3Responses.headers(HttpStatus.NO_CONTENT, request);
        if (outcome.versionId() != null) {
            headers.set("x-amz-version-id", outcome.versionId());
        }
        if (outcome.deleteMarker()) {
            headers.set("x-amz-delete-marker", "true");
        }
        return HttpResponse.of(headers.build());
    }

    /**
     * DeleteObjects: up to 1000 keys, each deleted on its own (if its ETag is given, only while it is current);
     * failures are listed, not thrown.
     */
    HttpResponse deleteMany(S3Request request) {
        Bucket bucket = store.buckets().require(request.bucket());
        if (request.header("content-md5").isEmpty()
                && Arrays.stream(Checksum.values()).noneMatch(c -> request.header(c.header()).isPresent())) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "Missing required header for this request: Content-Md5.");
        }
        byte[] body = Bodies.readXml(request);
        DeleteRequest parsed = DeleteXml.parseDelete(body);
        List<DeletedObject> deleted = new ArrayList<>();
        List<DeleteFailure> failures = new ArrayList<>();
        for (ObjectIdentifier target : parsed.objects()) {
            try {
                ObjectCatalog.DeleteOutcome outcome = store.delete(bucket, target.key(), target.versionId().orElse(null),
                        ifMatch(target.etag(), target.key()));
                deleted.add(new DeletedObject(target.key(), target.versionId().orElse(""), outcome.deleteMarker(),
                        outcome.deleteMarker() ? outcome.versionId() : ""));
            } catch (S3Exception e) {
                failures.add(DeleteFailure.of(target, e));
            }
        }
        return S3Responses.xml(request, DeleteXml.deleteResult(parsed.quiet(), deleted, failures));
    }

    static void checkKey(String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new S3Exception(S3Error.KEY_TOO_LONG).with("Size", Integer.toString(
                    key.getBytes(StandardCharsets.UTF_8).length)).with("MaxSizeAllowed", Integer.toString(MAX_KEY_BYTES));
        }
    }

    /** S3 names the version written only where versioning has been configured. */
    static void versionHeader(ResponseHeadersBuilder headers, Bucket bucket, String versionId) {
        if (bucket.versioning() != Bucket.Versioning.OFF) {
            headers.set("x-amz-version-id", versionId);
        }
    }

    static void checksumHeaders(ResponseHeadersBuilder headers, ObjectVersion object, Set<Checksum> algorithms) {
        for (Checksum checksum : algorithms) {
            Optional.ofNullable(object.checksums().get(checksum.name()))
                    .ifPresent(value -> headers.set(checksum.header(), value)
                            .set("x-amz-checksum-type", Checksum.typeOf(value)));
        }
    }

    /** PutObject's conditional writes: If-None-Match: * (create only) and If-Match (replace only those ETags). */
    private static Consumer<Optional<StoredVersion>> writeConditions(S3Request request) {
        Optional<String> ifNoneMatch = request.header("if-none-match");
        Optional<String> ifMatch = request.header("if-match");
        if (ifNoneMatch.isEmpty() && ifMatch.isEmpty()) {
            return ObjectCatalog.UNCONDITIONAL;
        }
        return current -> {
            ifNoneMatch.ifPresent(value -> {
                if (!value.trim().equals("*")) {
                    throw new S3Exception(S3Error.NOT_IMPLEMENTED, "If-None-Match on PutObject accepts only *")
                            .with("Header", "If-None-Match");
                }
                if (current.isPresent()) {
                    throw new S3Exception(S3Error.PRECONDITION_FAILED).with("Condition", "If-None-Match");
                }
            });
            ifMatch.ifPresent(etags -> ifMatch(etags, current, request.key()));
        };
    }

    /** A delete's If-Match, if it has one (else it is unconditional). */
    private static Consumer<Optional<StoredVersion>> ifMatch(Optional<String> etags, String key) {
        return etags.isEmpty() ? ObjectCatalog.UNCONDITIONAL : current -> ifMatch(etags.get(), current, key);
    }

    /**
     * A write's or delete's If-Match (ETags, or {@code *} for "exists"), checked against the key's current version:
     * NoSuchKey when it has none, PreconditionFailed when its ETag is not named.
     */
    private static void ifMatch(String etags, Optional<StoredVersion> current, String key) {
        StoredVersion existing = current.orElseThrow(() -> new S3Exception(S3Error.NO_SUCH_KEY).with("Key", key));
        if (!Preconditions.matches(etags, existing.object().etag())) {
            throw new S3Exception(S3Error.PRECONDITION_FAILED).with("Condition", "If-Match");
        }
    }
}
