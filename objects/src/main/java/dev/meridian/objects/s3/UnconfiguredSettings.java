package dev.meridian.objects.s3;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import dev.meridian.objects.Bucket;
import dev.meridian.objects.ObjectStore;
import dev.meridian.objects.ObjectVersion;
import dev.meridian.objects.s3.xml.ConfigurationXml;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads and deletes of the settings Meridian does not keep (bucket policies, CORS, lifecycle, tags, website,
 * logging, ACLs, …), answered as S3 answers for a bucket or object never configured: an error saying there is no
 * such configuration, or the default document. Tools that read every setting of a bucket (infrastructure-as-code
 * providers, consoles) then see an unconfigured bucket rather than an error; setting any of them stays
 * NotImplemented.
 */
final class UnconfiguredSettings {
    /** Bucket settings S3 reports missing with an error of their own. */
    private static final Map<String, S3Error> BUCKET_ABSENT = Map.of(
            "policy", S3Error.NO_SUCH_BUCKET_POLICY,
            "cors", S3Error.NO_SUCH_CORS_CONFIGURATION,
            "lifecycle", S3Error.NO_SUCH_LIFECYCLE_CONFIGURATION,
            "tagging", S3Error.NO_SUCH_TAG_SET,
            "website", S3Error.NO_SUCH_WEBSITE_CONFIGURATION,
            "encryption", S3Error.SERVER_SIDE_ENCRYPTION_CONFIGURATION_NOT_FOUND,
            "object-lock", S3Error.OBJECT_LOCK_CONFIGURATION_NOT_FOUND);
    /** Bucket settings S3 answers with a default document, each true of every Meridian bucket. */
    private static final Map<String, Supplier<byte[]>> BUCKET_DEFAULTS = Map.of(
            "acl", () -> ConfigurationXml.ownerOnlyAcl(S3Responses.OWNER),
            "logging", ConfigurationXml::loggingOff,
            "notification", ConfigurationXml::noNotifications,
            "accelerate", ConfigurationXml::accelerationNeverSet,
            "requestPayment", ConfigurationXml::ownerPays,
            "ownershipControls", ConfigurationXml::bucketOwnerEnforced,
            "publicAccessBlock", ConfigurationXml::publicAccessBlocked);
    /** Bucket settings whose deletion, with nothing set, S3 answers 204. */
    private static final Set<String> BUCKET_DELETABLE = Set.of("policy", "cors", "lifecycle", "tagging", "website",
            "encryption");

    private final ObjectStore store;
    private final ObjectReads reads;

    UnconfiguredSettings(ObjectStore store, ObjectReads reads) {
        this.store = store;
        this.reads = reads;
    }

    /** The answer to a read or delete of such a setting; empty when the request is not one. */
    Optional<HttpResponse> answer(S3Request r) {
        if (r.bucket() == null) {
            return Optional.empty();
        }
        boolean get = r.method().equals("GET");
        boolean delete = r.method().equals("DELETE");
        if (r.key() == null) {
            for (var absent : BUCKET_ABSENT.entrySet()) {
                if (r.has(absent.getKey()) && (get || delete && BUCKET_DELETABLE.contains(absent.getKey()))) {
                    store.buckets().require(r.bucket());
                    if (delete) {
                        return Optional.of(S3Responses.noContent(r));
                    }
                    throw new S3Exception(absent.getValue()).with("BucketName", r.bucket());
                }
            }
            for (var document : BUCKET_DEFAULTS.entrySet()) {
                if (get && r.has(document.getKey())) {
                    store.buckets().require(r.bucket());
                    return Optional.of(S3Responses.xml(r, document.getValue().get()));
                }
            }
            return Optional.empty();
        }
        if (get && r.has("acl")) {
            return Optional.of(S3Responses.xml(versioned(r), ConfigurationXml.ownerOnlyAcl(S3Responses.OWNER)));
        }
        if (r.has("tagging") && (get || delete)) {
            ResponseHeadersBuilder headers = versioned(r);
            return Optional.of(get ? S3Responses.xml(headers, ConfigurationXml.emptyTagging())
                    : HttpResponse.of(headers.status(HttpStatus.NO_CONTENT).build()));
        }
        return Optional.empty();
    }

    /** An OK for the object the request names (NoSuchKey and the like if there is none), with its version id. */
    private ResponseHeadersBuilder versioned(S3Request r) {
        Bucket bucket = store.buckets().require(r.bucket());
        ObjectVersion object = reads.resolve(r, bucket).object();
        ResponseHeadersBuilder headers = S3Responses.headers(HttpStatus.OK, r);
        ObjectWrites.versionHeader(headers, bucket, object.versionId());
        return headers;
    }
}
