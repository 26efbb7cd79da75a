package dev.meridian.objects.s3;

import com.linecorp.armeria.common.HttpResponse;
import dev.meridian.objects.ObjectListing;
import dev.meridian.objects.ObjectStore;
import dev.meridian.objects.VersionListing;
import dev.meridian.objects.multipart.Upload;
import dev.meridian.objects.s3.xml.ListQuery;
import dev.meridian.objects.s3.xml.ListingXml;
import dev.meridian.objects.s3.xml.MultipartXml;
import dev.meridian.objects.s3.xml.UploadListing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** ListObjects (v1 and v2), ListObjectVersions and ListMultipartUploads. */
final class ListOperations {
    private final ObjectStore store;

    ListOperations(ObjectStore store) {
        this.store = store;
    }

    HttpResponse listObjectsV2(S3Request request) {
        store.buckets().require(request.bucket());
        Echo echo = Echo.of(request);
        Optional<String> token = request.param("continuation-token");
        String after = token.map(ListOperations::decodeToken).orElse(request.param("start-after").orElse(null));
        ObjectListing page = store.objects().list(request.bucket(), echo.prefix(), echo.delimiter(), after, echo.maxKeys());
        String next = page.truncated() ? encodeToken(page.lastKey()) : null;
        return S3Responses.xml(request, ListingXml.listObjectsV2(echo.query(request, request.param("start-after")),
                token.orElse(""), request.param("fetch-owner").map("true"::equals).orElse(false), page,
                next == null ? "" : next, S3Responses.OWNER));
    }

    HttpResponse listObjectsV1(S3Request request) {
        store.buckets().require(request.bucket());
        Echo echo = Echo.of(request);
        Optional<String> marker = request.param("marker");
        ObjectListing page = store.objects().list(request.bucket(), echo.prefix(), echo.delimiter(), marker.orElse(null),
                echo.maxKeys());
        return S3Responses.xml(request, ListingXml.listObjects(echo.query(request, marker), page, S3Responses.OWNER));
    }

    HttpResponse listVersions(S3Request request) {
        store.buckets().require(request.bucket());
        Echo echo = Echo.of(request);
        String keyMarker = request.param("key-marker").orElse(null);
        String versionIdMarker = request.param("version-id-marker").orElse(null);
        if (versionIdMarker != null && (keyMarker == null || keyMarker.isEmpty())) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "A version-id marker cannot be specified without a key marker.")
                    .with("ArgumentName", "version-id-marker").with("ArgumentValue", versionIdMarker);
        }
        VersionListing page = store.objects().listVersions(request.bucket(), echo.prefix(), echo.delimiter(),
                keyMarker, versionIdMarker, echo.maxKeys());
        return S3Responses.xml(request, ListingXml.listVersions(echo.query(request, Optional.ofNullable(keyMarker)),
                versionIdMarker == null ? "" : versionIdMarker, page, S3Responses.OWNER));
    }

    HttpResponse listUploads(S3Request request) {
        store.buckets().require(request.bucket());
        Echo echo = Echo.of(request);
        int maxUploads = maxKeys(request, "max-uploads", 1000);
        String keyMarker = request.param("key-marker").orElse("");
        String uploadIdMarker = request.param("upload-id-marker").orElse("");
        List<Upload> uploads = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        boolean truncated = false;
        for (Upload upload : store.uploads().list(request.bucket())) {
            String key = upload.key();
            int order = key.compareTo(keyMarker);
            if (!key.startsWith(echo.prefix()) || order < 0
                    || (order == 0 && (uploadIdMarker.isEmpty() || upload.uploadId().compareTo(uploadIdMarker) <= 0))) {
                continue;
            }
            String common = null;
            if (echo.delimiter() != null && !echo.delimiter().isEmpty()) {
                int at = key.indexOf(echo.delimiter(), echo.prefix().length());
                common = at < 0 ? null : key.substring(0, at + echo.delimiter().length());
            }
            if (common != null && prefixes.contains(common)) {
                continue;
            }
            if (uploads.size() + prefixes.size() >= maxUploads) {
                truncated = true;
                break;
            }
            if (common != null) {
                prefixes.add(common);
            } else {
                uploads.add(upload);
            }
        }
        String nextKey = "";
        String nextUploadId = "";
        if (truncated && !uploads.isEmpty()) {
            nextKey = uploads.get(uploads.size() - 1).key();
            nextUploadId = uploads.get(uploads.size() - 1).uploadId();
        }
        ListQuery query = new ListQuery(request.bucket(), echo.prefix(), echo.delimiterOrEmpty(), maxUploads, keyMarker,
                echo.urlEncoding());
        return S3Responses.xml(request, MultipartXml.listMultipartUploads(query, uploadIdMarker,
                new UploadListing(uploads, prefixes, truncated, nextKey, nextUploadId), S3Responses.OWNER));
    }

    /** A page-size parameter: 0 to 1000 (larger asks are capped), else InvalidArgument. */
    static int maxKeys(S3Request request, String name, int limit) {
        Optional<String> value = request.param(name);
        if (value.isEmpty()) {
            return limit;
        }
        try {
            int asked = Integer.parseInt(value.get());
            if (asked >= 0) {
                return Math.min(asked, limit);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new S3Exception(S3Error.INVALID_ARGUMENT, "Provided " + name + " not an integer or within integer range")
                .with("ArgumentName", name).with("ArgumentValue", value.get());
    }

    private static String encodeToken(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "The continuation token provided is incorrect")
                    .with("ArgumentName", "continuation-token");
        }
    }

    /** The listing parameters every listing echoes back. */
    private record Echo(String prefix, String delimiter, int maxKeys, String encodingType) {
        ListQuery query(S3Request request, Optional<String> marker) {
            return new ListQuery(request.bucket(), prefix, delimiterOrEmpty(), maxKeys, marker.orElse(""), urlEncoding());
        }

        String delimiterOrEmpty() {
            return delimiter == null ? "" : delimiter;
        }

        boolean urlEncoding() {
            return "url".equals(encodingType);
        }

        static Echo of(S3Request request) {
            String encodingType = request.param("encoding-type").orElse(null);
            if (encodingType != null && !encodingType.equals("url")) {
                throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request")
                        .with("ArgumentName", "encoding-type").with("ArgumentValue", encodingType);
            }
            return new Echo(request.param("prefix").orElse(""), request.param("delimiter").orElse(null),
                    ListOperations.maxKeys(request, "max-keys", 1000), encodingType);
        }
    }
}
