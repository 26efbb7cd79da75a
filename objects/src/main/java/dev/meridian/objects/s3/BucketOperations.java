package dev.meridian.objects.s3;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import dev.meridian.objects.Bucket;
import dev.meridian.objects.BucketNames;
import dev.meridian.objects.ObjectStore;
import dev.meridian.objects.s3.xml.BucketXml;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** CreateBucket, DeleteBucket, HeadBucket, ListBuckets, bucket versioning and location. */
final class BucketOperations {
    /** Meridian's own CreateBucket header: the regions that keep copies of the bucket's objects (default: all). */
    static final String REPLICATE_TO_HEADER = "x-meridian-replicate-to";

    private final ObjectStore store;
    private final Set<String> regions;

    /** @param regions every region of this deployment */
    BucketOperations(ObjectStore store, Set<String> regions) {
        this.store = store;
        this.regions = regions;
    }

    HttpResponse create(S3Request request) {
        BucketNames.check(request.bucket());
        byte[] body = Bodies.readXml(request);
        if (body.length > 0) {
            // Buckets are global, so any region of the deployment may be named; one it does not have, S3 refuses.
            BucketXml.parseCreateBucketConfiguration(body).filter(constraint -> !regions.contains(constraint))
                    .ifPresent(constraint -> {
                        throw new S3Exception(S3Error.INVALID_LOCATION_CONSTRAINT)
                                .with("LocationConstraint", constraint);
                    });
        }
        store.createBucket(request.bucket(), replicateTo(request));
        return S3Responses.empty(S3Responses.headers(HttpStatus.OK, request).set("Location", "/" + request.bucket()));
    }

    HttpResponse delete(S3Request request) {
        store.deleteBucket(request.bucket());
        return S3Responses.noContent(request);
    }

    HttpResponse head(S3Request request) {
        store.buckets().require(request.bucket());
        return S3Responses.empty(S3Responses.headers(HttpStatus.OK, request)
                .set("x-amz-bucket-region", store.region()));
    }

    HttpResponse list(S3Request request) {
        return S3Responses.xml(request, BucketXml.listAllMyBuckets(store.buckets().list(), S3Responses.OWNER));
    }

    HttpResponse getVersioning(S3Request request) {
        return S3Responses.xml(request, BucketXml.versioningConfiguration(
                store.buckets().require(request.bucket()).versioning()));
    }

    HttpResponse putVersioning(S3Request request) {
        store.buckets().require(request.bucket());
        Bucket.Versioning status = BucketXml.parseVersioningConfiguration(Bodies.readXml(request));
        store.setVersioning(request.bucket(), status);
        return S3Responses.empty(S3Responses.headers(HttpStatus.OK, request));
    }

    /** Buckets are global: each region answers with itself, where the caller's requests are served. */
    HttpResponse location(S3Request request) {
        store.buckets().require(request.bucket());
        return S3Responses.xml(request, BucketXml.locationConstraint(store.region()));
    }

    private List<String> replicateTo(S3Request request) {
        return request.header(REPLICATE_TO_HEADER).map(value -> {
            List<String> named = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            for (String region : named) {
                if (!regions.contains(region)) {
                    throw new S3Exception(S3Error.INVALID_ARGUMENT, "Unknown region in " + REPLICATE_TO_HEADER + ": "
                            + region + "; this deployment has " + regions)
                            .with("ArgumentName", REPLICATE_TO_HEADER).with("ArgumentValue", value);
                }
            }
            return named;
        }).orElse(List.of());
    }
}
