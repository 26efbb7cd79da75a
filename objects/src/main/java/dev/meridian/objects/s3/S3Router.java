package dev.meridian.objects.s3;

import com.linecorp.armeria.common.HttpResponse;
import java.util.List;
import java.util.Optional;

/** Picks the S3 operation a request names, by method, by whether it names a bucket and a key, and by sub-resource. */
final class S3Router {
    /**
     * Sub-resources S3 has that Meridian does not serve; asking for one is NotImplemented, not a listing (except
     * reading or deleting one that is never set, which {@link UnconfiguredSettings} answers first).
     */
    private static final List<String> UNSUPPORTED_SUBRESOURCES = List.of("acl", "policy", "cors",
            "lifecycle", "tagging", "website", "logging", "notification", "replication", "encryption", "object-lock",
            "accelerate", "requestPayment", "inventory", "analytics", "metrics", "intelligent-tiering",
            "ownershipControls", "publicAccessBlock", "policyStatus", "legal-hold", "retention", "torrent", "restore",
            "select");

    private final BucketOperations buckets;
    private final ListOperations lists;
    private final ObjectReads reads;
    private final ObjectWrites writes;
    private final MultipartOperations multipart;
    private final UnconfiguredSettings unconfigured;

    S3Router(BucketOperations buckets, ListOperations lists, ObjectReads reads, ObjectWrites writes,
            MultipartOperations multipart, UnconfiguredSettings unconfigured) {
        this.buckets = buckets;
        this.lists = lists;
        this.reads = reads;
        this.writes = writes;
        this.multipart = multipart;
        this.unconfigured = unconfigured;
    }

    HttpResponse route(S3Request r) {
        Optional<HttpResponse> unconfiguredSetting = unconfigured.answer(r);
        if (unconfiguredSetting.isPresent()) {
            return unconfiguredSetting.get();
        }
        for (String subresource : UNSUPPORTED_SUBRESOURCES) {
            if (r.has(subresource)) {
                throw new S3Exception(S3Error.NOT_IMPLEMENTED, "Meridian does not serve the ?" + subresource
                        + " sub-resource").with("Header", subresource);
            }
        }
        if (r.bucket() == null) {
            if (r.method().equals("GET")) {
                return buckets.list(r);
            }
            throw notAllowed(r, "Service");
        }
        return r.key() == null ? bucket(r) : object(r);
    }

    private HttpResponse bucket(S3Request r) {
        return switch (r.method()) {
            case "PUT" -> r.has("versioning") ? buckets.putVersioning(r) : buckets.create(r);
            case "HEAD" -> buckets.head(r);
            case "DELETE" -> buckets.delete(r);
            case "POST" -> {
                if (r.has("delete")) {
                    yield writes.deleteMany(r);
                }
                throw notAllowed(r, "Bucket");
            }
            case "GET" -> {
                if (r.has("versioning")) {
                    yield buckets.getVersioning(r);
                } else if (r.has("location")) {
                    yield buckets.location(r);
                } else if (r.has("versions")) {
                    yield lists.listVersions(r);
                } else if (r.has("uploads")) {
                    yield lists.listUploads(r);
                } else if ("2".equals(r.query().get("list-type"))) {
                    yield lists.listObjectsV2(r);
                }
                yield lists.listObjectsV1(r);
            }
            default -> throw notAllowed(r, "Bucket");
        };
    }

    private HttpResponse object(S3Request r) {
        boolean copy = r.headers().containsKey("x-amz-copy-source");
        return switch (r.method()) {
            case "GET" -> {
                if (r.has("uploadId")) {
                    yield multipart.listParts(r);
                }
                yield r.has("attributes") ? reads.attributes(r) : reads.get(r);
            }
            case "HEAD" -> reads.get(r);
            case "PUT" -> {
                if (r.has("uploadId") || r.has("partNumber")) {
                    yield copy ? multipart.uploadPartCopy(r) : multipart.uploadPart(r);
                }
                yield copy ? writes.copy(r) : writes.put(r);
            }
            case "DELETE" -> r.has("uploadId") ? multipart.abort(r) : writes.delete(r);
            case "POST" -> {
                if (r.has("uploads")) {
                    yield multipart.create(r);
                } else if (r.has("uploadId")) {
                    yield multipart.complete(r);
                }
                throw notAllowed(r, "Object");
            }
            default -> throw notAllowed(r, "Object");
        };
    }

    private static S3Exception notAllowed(S3Request r, String resourceType) {
        return new S3Exception(S3Error.METHOD_NOT_ALLOWED).with("Method", r.method()).with("ResourceType", resourceType);
    }
}
