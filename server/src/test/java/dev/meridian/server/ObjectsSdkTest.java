package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.crt.checksums.CRC64NVME;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.ObjectPart;
import software.amazon.awssdk.services.s3.model.OwnershipControlsRule;
import software.amazon.awssdk.services.s3.model.Payer;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Type;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/** The S3 operations through the real SDK v2 against one real region process: every response parsed by the SDK. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectsSdkTest {
    static final String BUCKET = "media";

    @TempDir
    Path dir;

    SingleRegion region;
    S3Client s3;

    @BeforeAll
    void start() throws InterruptedException {
        region = SingleRegion.start(dir);
        s3 = Sdk.s3(region.endpoint(), SingleRegion.NAME);
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (region != null) {
            region.close();
        }
    }

    static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String md5Hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    @Test
    void putGetHeadRoundTripWithMetadataAndContentHeaders() throws Exception {
        byte[] body = bytes(300_000, 1);
        var put = s3.putObject(b -> b.bucket(BUCKET).key("photos/cat.jpg").contentType("image/jpeg")
                .cacheControl("max-age=60").metadata(Map.of("owner", "ana", "Camera", "x100")), RequestBody.fromBytes(body));
        assertThat(put.eTag()).isEqualTo('"' + md5Hex(body) + '"');

        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("photos/cat.jpg"));
        assertThat(got.asByteArray()).isEqualTo(body);
        assertThat(got.response().contentType()).isEqualTo("image/jpeg");
        assertThat(got.response().cacheControl()).isEqualTo("max-age=60");
        assertThat(got.response().metadata()).containsEntry("owner", "ana").containsEntry("camera", "x100");
        assertThat(got.response().eTag()).isEqualTo(put.eTag());

        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("photos/cat.jpg"));
        assertThat(head.contentLength()).isEqualTo(body.length);
        assertThat(head.lastModified()).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void emptyObjectAndKeysWithUnusualCharacters() {
        for (String key : List.of("empty", "a b+c/ü%20?&=#x", "dir//double", "tab\there")) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(new byte[0]));
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray()).isEmpty();
        }
        List<String> listed = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).toList();
        assertThat(listed).contains("a b+c/ü%20?&=#x", "dir//double", "tab\there");
    }

    @Test
    void rangesAndConditionalReads() {
        byte[] body = "0123456789".getBytes(StandardCharsets.UTF_8);
        String etag = s3.putObject(b -> b.bucket(BUCKET).key("digits"), RequestBody.fromBytes(body)).eTag();
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("digits").range("bytes=2-4")).asUtf8String()).isEqualTo("234");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("digits").range("bytes=7-")).asUtf8String()).isEqualTo("789");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("digits").range("bytes=-3")).asUtf8String()).isEqualTo("789");
        var partial = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("digits").range("bytes=8-100"));
        assertThat(partial.asUtf8String()).isEqualTo("89");
        assertThat(partial.response().contentRange()).isEqualTo("bytes 8-9/10");
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("digits").range("bytes=10-")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(416);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
                });

        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("digits").ifMatch(etag)).asUtf8String()).isEqualTo("0123456789");
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("digits").ifMatch("\"nope\"")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(412);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PreconditionFailed");
                });
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("digits").ifNoneMatch(etag)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("digits")
                .ifModifiedSince(Instant.now().plusSeconds(3600))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("digits")
                .ifUnmodifiedSince(Instant.now().minusSeconds(3600))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
    }

    @Test
    void checksumsAreVerifiedStoredAndReturned() {
        for (ChecksumAlgorithm algorithm : List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32_C, ChecksumAlgorithm.SHA256,
                ChecksumAlgorithm.SHA1, ChecksumAlgorithm.CRC64_NVME)) {
            String key = "sum-" + algorithm;
            s3.putObject(b -> b.bucket(BUCKET).key(key).checksumAlgorithm(algorithm), RequestBody.fromBytes(bytes(70_000, 3)));
            HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED));
            String stored = switch (algorithm) {
                case CRC32 -> head.checksumCRC32();
                case CRC32_C -> head.checksumCRC32C();
                case SHA256 -> head.checksumSHA256();
                case CRC64_NVME -> head.checksumCRC64NVME();
                default -> head.checksumSHA1();
            };
            assertThat(stored).as(algorithm.toString()).isNotBlank();
            // The SDK validates the checksum of what it reads against the one the server gives.
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED)).asByteArray())
                    .isEqualTo(bytes(70_000, 3));
        }
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("bad-crc").checksumCRC32("AAAAAA=="),
                RequestBody.fromBytes(bytes(10, 4))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("bad-crc"))).isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("bad-crc64").checksumCRC64NVME("AAAAAAAAAAA="),
                RequestBody.fromBytes(bytes(10, 4))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("BadDigest"));
    }

    @Test
    void fullObjectChecksumsOfMultipartUploadsAreOverTheWholeObject() {
        byte[] first = bytes(5 * 1024 * 1024, 5);
        byte[] second = bytes(300_000, 6);
        byte[] whole = new byte[first.length + second.length];
        System.arraycopy(first, 0, whole, 0, first.length);
        System.arraycopy(second, 0, whole, first.length, second.length);

        // CRC64NVME is full-object by default (and only); CRC32 when the upload asks for it.
        String crc64 = completeUpload("crc64-multipart", ChecksumAlgorithm.CRC64_NVME, null, List.of(first, second),
                (part, sum) -> part.checksumCRC64NVME(sum), UploadPartResponse::checksumCRC64NVME,
                CompleteMultipartUploadResponse::checksumCRC64NVME);
        assertThat(crc64).isEqualTo(crc64Nvme(whole));
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("crc64-multipart")
                .checksumMode(ChecksumMode.ENABLED));
        assertThat(head.checksumCRC64NVME()).isEqualTo(crc64Nvme(whole));
        assertThat(head.checksumTypeAsString()).isEqualTo("FULL_OBJECT");

        String crc32 = completeUpload("crc32-multipart", ChecksumAlgorithm.CRC32, ChecksumType.FULL_OBJECT,
                List.of(first, second), (part, sum) -> part.checksumCRC32(sum), UploadPartResponse::checksumCRC32,
                CompleteMultipartUploadResponse::checksumCRC32);
        var expected = new CRC32();
        expected.update(whole);
        assertThat(crc32).isEqualTo(Base64.getEncoder().encodeToString(
                ByteBuffer.allocate(4).putInt((int) expected.getValue()).array()));

        assertThatThrownBy(() -> s3.createMultipartUpload(b -> b.bucket(BUCKET).key("crc64-composite")
                .checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME).checksumType(ChecksumType.COMPOSITE)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidRequest"));
        assertThatThrownBy(() -> s3.createMultipartUpload(b -> b.bucket(BUCKET).key("sha-full")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumType(ChecksumType.FULL_OBJECT)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidRequest"));
    }

    @Test
    void aFullObjectChecksumSentWithTheCompletionIsChecked() {
        byte[] only = bytes(1000, 11);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("checked-whole")
                .checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME)).uploadId();
        var part = s3.uploadPart(b -> b.bucket(BUCKET).key("checked-whole").uploadId(uploadId).partNumber(1)
                .checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME), RequestBody.fromBytes(only));
        CompletedPart completed = CompletedPart.builder().partNumber(1).eTag(part.eTag())
                .checksumCRC64NVME(part.checksumCRC64NVME()).build();

        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("checked-whole")
                .uploadId(uploadId).checksumCRC64NVME("AAAAAAAAAAA=").multipartUpload(m -> m.parts(completed))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("BadDigest"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("checked-whole")))
                .isInstanceOf(NoSuchKeyException.class);

        // The upload is still there, and the right checksum completes it.
        var answer = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("checked-whole").uploadId(uploadId)
                .checksumCRC64NVME(crc64Nvme(only)).multipartUpload(m -> m.parts(completed)));
        assertThat(answer.checksumCRC64NVME()).isEqualTo(crc64Nvme(only));
    }

    @Test
    void getObjectAttributesAnswersWhatHeadObjectAndListPartsWould() {
        s3.putObject(b -> b.bucket(BUCKET).key("attributes-single").checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromBytes(bytes(1000, 7)));
        var single = s3.getObjectAttributes(b -> b.bucket(BUCKET).key("attributes-single").objectAttributes(
                ObjectAttributes.E_TAG, ObjectAttributes.CHECKSUM, ObjectAttributes.OBJECT_SIZE,
                ObjectAttributes.STORAGE_CLASS, ObjectAttributes.OBJECT_PARTS));
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("attributes-single")
                .checksumMode(ChecksumMode.ENABLED));
        assertThat('"' + single.eTag() + '"').isEqualTo(head.eTag());
        assertThat(single.objectSize()).isEqualTo(1000L);
        assertThat(single.storageClassAsString()).isEqualTo("STANDARD");
        assertThat(single.lastModified()).isEqualTo(head.lastModified());
        assertThat(single.checksum().checksumCRC32()).isEqualTo(head.checksumCRC32());
        assertThat(single.checksum().checksumTypeAsString()).isEqualTo("FULL_OBJECT");
        assertThat(single.objectParts()).as("not a multipart object").isNull();

        List<byte[]> parts = List.of(bytes(5 * 1024 * 1024, 8), bytes(5 * 1024 * 1024, 9), bytes(10, 10));
        completeUpload("attributes-multipart", ChecksumAlgorithm.CRC32, ChecksumType.FULL_OBJECT, parts,
                (part, sum) -> part.checksumCRC32(sum), UploadPartResponse::checksumCRC32,
                CompleteMultipartUploadResponse::checksumCRC32);
        var firstPage = s3.getObjectAttributes(b -> b.bucket(BUCKET).key("attributes-multipart")
                .objectAttributes(ObjectAttributes.OBJECT_PARTS).maxParts(2));
        assertThat(firstPage.eTag()).as("not asked for").isNull();
        assertThat(firstPage.objectParts().totalPartsCount()).isEqualTo(3);
        assertThat(firstPage.objectParts().isTruncated()).isTrue();
        assertThat(firstPage.objectParts().parts()).extracting(ObjectPart::partNumber, ObjectPart::size)
                .containsExactly(tuple(1, 5L * 1024 * 1024), tuple(2, 5L * 1024 * 1024));
        var secondPage = s3.getObjectAttributes(b -> b.bucket(BUCKET).key("attributes-multipart")
                .objectAttributes(ObjectAttributes.OBJECT_PARTS)
                .partNumberMarker(firstPage.objectParts().nextPartNumberMarker()));
        assertThat(secondPage.objectParts().isTruncated()).isFalse();
        assertThat(secondPage.objectParts().parts()).extracting(ObjectPart::partNumber, ObjectPart::size)
                .containsExactly(tuple(3, 10L));

        assertThatThrownBy(() -> s3.getObjectAttributes(b -> b.bucket(BUCKET).key("no-such-object")
                .objectAttributes(ObjectAttributes.E_TAG))).isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void settingsNeverConfiguredReadAsOnANewS3Bucket() {
        String bucket = "plain-settings";
        s3.createBucket(b -> b.bucket(bucket));
        Map<String, Runnable> absent = Map.of(
                "NoSuchBucketPolicy", () -> s3.getBucketPolicy(b -> b.bucket(bucket)),
                "NoSuchCORSConfiguration", () -> s3.getBucketCors(b -> b.bucket(bucket)),
                "NoSuchLifecycleConfiguration", () -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)),
                "NoSuchTagSet", () -> s3.getBucketTagging(b -> b.bucket(bucket)),
                "NoSuchWebsiteConfiguration", () -> s3.getBucketWebsite(b -> b.bucket(bucket)),
                "ServerSideEncryptionConfigurationNotFoundError", () -> s3.getBucketEncryption(b -> b.bucket(bucket)),
                "ObjectLockConfigurationNotFoundError", () -> s3.getObjectLockConfiguration(b -> b.bucket(bucket)));
        absent.forEach((code, read) -> assertThatThrownBy(read::run)
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).as(code).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
                }));

        var acl = s3.getBucketAcl(b -> b.bucket(bucket));
        assertThat(acl.grants()).singleElement().satisfies(grant -> {
            assertThat(grant.permission()).isEqualTo(Permission.FULL_CONTROL);
            assertThat(grant.grantee().type()).isEqualTo(Type.CANONICAL_USER);
            assertThat(grant.grantee().id()).isEqualTo(acl.owner().id());
        });
        assertThat(s3.getBucketLogging(b -> b.bucket(bucket)).loggingEnabled()).isNull();
        assertThat(s3.getBucketNotificationConfiguration(b -> b.bucket(bucket)).topicConfigurations())
                .isEmpty();
        assertThat(s3.getBucketAccelerateConfiguration(b -> b.bucket(bucket)).status()).isNull();
        assertThat(s3.getBucketRequestPayment(b -> b.bucket(bucket)).payer()).isEqualTo(Payer.BUCKET_OWNER);
        assertThat(s3.getBucketOwnershipControls(b -> b.bucket(bucket)).ownershipControls().rules())
                .extracting(OwnershipControlsRule::objectOwnership)
                .containsExactly(ObjectOwnership.BUCKET_OWNER_ENFORCED);
        var block = s3.getPublicAccessBlock(b -> b.bucket(bucket)).publicAccessBlockConfiguration();
        assertThat(List.of(block.blockPublicAcls(), block.ignorePublicAcls(), block.blockPublicPolicy(),
                block.restrictPublicBuckets())).containsOnly(true);
        s3.deleteBucketCors(b -> b.bucket(bucket));
        s3.deleteBucketTagging(b -> b.bucket(bucket));

        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("v"));
        assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("k")).tagSet()).isEmpty();
        assertThat(s3.getObjectAcl(b -> b.bucket(bucket).key("k")).grants())
                .extracting(Grant::permission).containsExactly(Permission.FULL_CONTROL);
        s3.deleteObjectTagging(b -> b.bucket(bucket).key("k"));
        assertThatThrownBy(() -> s3.getObjectTagging(b -> b.bucket(bucket).key("missing")))
                .isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> s3.getBucketTagging(b -> b.bucket("no-such-settings-bucket")))
                .isInstanceOf(NoSuchBucketException.class);
        // Setting any of them is not something Meridian does.
        assertThatThrownBy(() -> s3.putBucketTagging(b -> b.bucket(bucket)
                .tagging(t -> t.tagSet(Tag.builder().key("team").value("maps").build()))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(501));
    }

    /**
     * Uploads {@code parts} with {@code algorithm} and completes the upload, which must be a full-object one; its
     * checksum as the answer gives it.
     */
    private String completeUpload(String key, ChecksumAlgorithm algorithm, ChecksumType type, List<byte[]> parts,
            BiConsumer<CompletedPart.Builder, String> withSum, Function<UploadPartResponse, String> partSum,
            Function<CompleteMultipartUploadResponse, String> sum) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key).checksumAlgorithm(algorithm)
                .checksumType(type)).uploadId();
        List<CompletedPart> completed = new ArrayList<>();
        for (byte[] part : parts) {
            int number = completed.size() + 1;
            var uploaded = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(number)
                    .checksumAlgorithm(algorithm), RequestBody.fromBytes(part));
            var builder = CompletedPart.builder().partNumber(number).eTag(uploaded.eTag());
            withSum.accept(builder, partSum.apply(uploaded));
            completed.add(builder.build());
        }
        var answer = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed)));
        assertThat(answer.checksumTypeAsString()).isEqualTo("FULL_OBJECT");
        return sum.apply(answer);
    }

    /** The CRC64NVME of {@code bytes} as S3 gives it, computed by the AWS Common Runtime. */
    private static String crc64Nvme(byte[] bytes) {
        var crc = new CRC64NVME();
        crc.update(bytes, 0, bytes.length);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(8).putLong(crc.getValue()).array());
    }

    @Test
    void listObjectsV2WithPrefixDelimiterPagesAndStartAfter() {
        s3.createBucket(b -> b.bucket("listing"));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            keys.add(String.format("logs/2026/%02d.txt", i));
        }
        keys.addAll(List.of("logs/readme", "photos/a.jpg", "photos/b.jpg", "root.txt"));
        for (String key : keys) {
            s3.putObject(b -> b.bucket("listing").key(key), RequestBody.fromString(key));
        }
        ListObjectsV2Response top = s3.listObjectsV2(b -> b.bucket("listing").delimiter("/"));
        assertThat(top.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("logs/", "photos/");
        assertThat(top.contents()).extracting(S3Object::key).containsExactly("root.txt");
        assertThat(top.keyCount()).isEqualTo(3);

        List<String> paged = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket("listing").prefix("logs/2026/").maxKeys(7))
                .forEach(page -> {
                    assertThat(page.contents()).hasSizeLessThanOrEqualTo(7);
                    page.contents().forEach(o -> paged.add(o.key()));
                });
        assertThat(paged).containsExactlyElementsOf(keys.subList(0, 25));

        var after = s3.listObjectsV2(b -> b.bucket("listing").startAfter("photos/a.jpg"));
        assertThat(after.contents()).extracting(S3Object::key).containsExactly("photos/b.jpg", "root.txt");
        var objects = s3.listObjectsV2(b -> b.bucket("listing").prefix("photos/")).contents();
        assertThat(objects).allSatisfy(o -> assertThat(o.size()).isEqualTo(12L));

        // max-keys=0 asks for nothing: S3 answers with an empty page that is not truncated and has no continuation.
        var none = s3.listObjectsV2(b -> b.bucket("listing").maxKeys(0));
        assertThat(none.contents()).isEmpty();
        assertThat(none.isTruncated()).isFalse();
        assertThat(none.nextContinuationToken()).isNull();
        var noneV1 = s3.listObjects(b -> b.bucket("listing").delimiter("/").maxKeys(0));
        assertThat(noneV1.contents()).isEmpty();
        assertThat(noneV1.isTruncated()).isFalse();
        assertThat(s3.listObjectVersions(b -> b.bucket("listing").maxKeys(0)).isTruncated()).isFalse();
    }

    @Test
    void copyObjectKeepsOrReplacesMetadata() {
        s3.putObject(b -> b.bucket(BUCKET).key("original").contentType("text/plain").metadata(Map.of("a", "1")),
                RequestBody.fromString("copy me"));
        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("original").destinationBucket(BUCKET).destinationKey("copy"));
        var copy = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("copy"));
        assertThat(copy.asUtf8String()).isEqualTo("copy me");
        assertThat(copy.response().metadata()).containsEntry("a", "1");
        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("original").destinationBucket(BUCKET).destinationKey("copy2")
                .metadataDirective("REPLACE").metadata(Map.of("b", "2")).contentType("text/csv"));
        var replaced = s3.headObject(b -> b.bucket(BUCKET).key("copy2"));
        assertThat(replaced.metadata()).containsOnlyKeys("b");
        assertThat(replaced.contentType()).isEqualTo("text/csv");
        assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("original")
                .destinationBucket(BUCKET).destinationKey("original")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest"));
    }

    @Test
    void deleteObjectAndDeleteObjects() {
        for (String key : List.of("d1", "d2", "d3")) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(key));
        }
        s3.deleteObject(b -> b.bucket(BUCKET).key("d1"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("d1"))).isInstanceOf(NoSuchKeyException.class);
        var result = s3.deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.objects(
                ObjectIdentifier.builder().key("d2").build(), ObjectIdentifier.builder().key("d3").build(),
                ObjectIdentifier.builder().key("never-existed").build())));
        assertThat(result.deleted()).hasSize(3);
        assertThat(result.errors()).isEmpty();
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("d3"))).isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void conditionalDeletesGoAheadOnlyWhileTheETagIsCurrent() {
        String etag = s3.putObject(b -> b.bucket(BUCKET).key("cond-del"), RequestBody.fromString("v1")).eTag();
        assertThatThrownBy(() -> s3.deleteObject(b -> b.bucket(BUCKET).key("cond-del").ifMatch("\"0123\"")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(412);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PreconditionFailed");
                });
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("cond-del")).eTag()).isEqualTo(etag);
        s3.deleteObject(b -> b.bucket(BUCKET).key("cond-del").ifMatch(etag));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("cond-del"))).isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> s3.deleteObject(b -> b.bucket(BUCKET).key("cond-del").ifMatch("*")))
                .as("If-Match: * asks that the object exist").isInstanceOf(NoSuchKeyException.class);

        s3.putObject(b -> b.bucket(BUCKET).key("cond-del-1"), RequestBody.fromString("one"));
        String second = s3.putObject(b -> b.bucket(BUCKET).key("cond-del-2"), RequestBody.fromString("two")).eTag();
        var result = s3.deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.objects(
                ObjectIdentifier.builder().key("cond-del-1").eTag("\"0123\"").build(),
                ObjectIdentifier.builder().key("cond-del-2").eTag(second).build())));
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.key()).isEqualTo("cond-del-1");
            assertThat(error.code()).isEqualTo("PreconditionFailed");
        });
        assertThat(result.deleted()).extracting(DeletedObject::key).containsExactly("cond-del-2");
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("cond-del-1")).contentLength()).isEqualTo(3L);
    }

    @Test
    void theSdksOwnMultipartClientUploadsInPartsAndReadsBack() throws Exception {
        byte[] body = bytes(20 * 1024 * 1024, 21);
        try (S3AsyncClient async = Sdk.s3Multipart(region.endpoint(), SingleRegion.NAME)) {
            async.putObject(b -> b.bucket(BUCKET).key("sdk-multipart"), AsyncRequestBody.fromBytes(body)).join();
            byte[] back = async.getObject(b -> b.bucket(BUCKET).key("sdk-multipart"), AsyncResponseTransformer.toBytes())
                    .join().asByteArray();
            assertThat(back).isEqualTo(body);
        }
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("sdk-multipart"));
        assertThat(head.contentLength()).isEqualTo(body.length);
        assertThat(head.eTag()).as("three parts of 8 MiB at most").endsWith("-3\"");
    }

    @Test
    void aSinglePutLargerThanADynamoDbRequestIsTaken() {
        // S3 takes single PUTs up to 5 GiB: the front door's 16 MB bound (DynamoDB's) must not refuse them.
        byte[] body = bytes(24 * 1024 * 1024, 11);
        s3.putObject(b -> b.bucket(BUCKET).key("large-single-put"), RequestBody.fromBytes(body));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("large-single-put")).asByteArray()).isEqualTo(body);
    }

    @Test
    void multipartUploadWithCopiedPartAndListings() throws Exception {
        s3.createBucket(b -> b.bucket("uploads"));
        byte[] part1 = bytes(5 * 1024 * 1024, 5);
        byte[] tail = bytes(1000, 6);
        s3.putObject(b -> b.bucket("uploads").key("source"), RequestBody.fromBytes(bytes(6 * 1024 * 1024, 7)));
        String uploadId = s3.createMultipartUpload(b -> b.bucket("uploads").key("big").contentType("video/mp4")).uploadId();
        assertThat(s3.listMultipartUploads(b -> b.bucket("uploads")).uploads()).anySatisfy(u -> {
            assertThat(u.key()).isEqualTo("big");
            assertThat(u.uploadId()).isEqualTo(uploadId);
        });
        String e1 = s3.uploadPart(b -> b.bucket("uploads").key("big").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(part1)).eTag();
        String e2 = s3.uploadPartCopy(b -> b.sourceBucket("uploads").sourceKey("source").copySourceRange("bytes=0-5242879")
                .destinationBucket("uploads").destinationKey("big").uploadId(uploadId).partNumber(2)).copyPartResult().eTag();
        String e3 = s3.uploadPart(b -> b.bucket("uploads").key("big").uploadId(uploadId).partNumber(3),
                RequestBody.fromBytes(tail)).eTag();
        assertThat(s3.listParts(b -> b.bucket("uploads").key("big").uploadId(uploadId)).parts()).hasSize(3);
        var done = s3.completeMultipartUpload(b -> b.bucket("uploads").key("big").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build(),
                        CompletedPart.builder().partNumber(3).eTag(e3).build())));

        MessageDigest md5s = MessageDigest.getInstance("MD5");
        for (String etag : List.of(e1, e2, e3)) {
            md5s.update(HexFormat.of().parseHex(etag.replace("\"", "")));
        }
        assertThat(done.eTag()).isEqualTo("\"" + HexFormat.of().formatHex(md5s.digest()) + "-3\"");
        byte[] whole = s3.getObjectAsBytes(b -> b.bucket("uploads").key("big")).asByteArray();
        assertThat(whole).hasSize(2 * part1.length + tail.length);
        assertThat(java.util.Arrays.copyOfRange(whole, part1.length, 2 * part1.length))
                .isEqualTo(java.util.Arrays.copyOf(bytes(6 * 1024 * 1024, 7), 5 * 1024 * 1024));
        assertThat(s3.headObject(b -> b.bucket("uploads").key("big").partNumber(3)).contentLength()).isEqualTo(1000);
        assertThat(s3.listMultipartUploads(b -> b.bucket("uploads")).uploads()).isEmpty();

        String small = s3.createMultipartUpload(b -> b.bucket("uploads").key("small")).uploadId();
        String s1 = s3.uploadPart(b -> b.bucket("uploads").key("small").uploadId(small).partNumber(1),
                RequestBody.fromBytes(tail)).eTag();
        String s2 = s3.uploadPart(b -> b.bucket("uploads").key("small").uploadId(small).partNumber(2),
                RequestBody.fromBytes(tail)).eTag();
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket("uploads").key("small").uploadId(small)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(s1).build(),
                        CompletedPart.builder().partNumber(2).eTag(s2).build()))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("EntityTooSmall"));
        s3.abortMultipartUpload(b -> b.bucket("uploads").key("small").uploadId(small));
        assertThatThrownBy(() -> s3.listParts(b -> b.bucket("uploads").key("small").uploadId(small)))
                .isInstanceOf(NoSuchUploadException.class);
    }

    @Test
    void versioningKeepsEveryVersionAndDeleteMarkers() {
        s3.createBucket(b -> b.bucket("history"));
        s3.putBucketVersioning(b -> b.bucket("history").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        assertThat(s3.getBucketVersioning(b -> b.bucket("history")).status()).isEqualTo(BucketVersioningStatus.ENABLED);
        String v1 = s3.putObject(b -> b.bucket("history").key("doc"), RequestBody.fromString("one")).versionId();
        String v2 = s3.putObject(b -> b.bucket("history").key("doc"), RequestBody.fromString("two")).versionId();
        assertThat(v1).isNotEqualTo(v2).isNotEqualTo("null");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("history").key("doc")).asUtf8String()).isEqualTo("two");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("history").key("doc").versionId(v1)).asUtf8String()).isEqualTo("one");

        var marker = s3.deleteObject(b -> b.bucket("history").key("doc"));
        assertThat(marker.deleteMarker()).isTrue();
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("history").key("doc"))).isInstanceOf(NoSuchKeyException.class);
        ListObjectVersionsResponse versions = s3.listObjectVersions(b -> b.bucket("history"));
        assertThat(versions.versions()).extracting(v -> v.versionId()).containsExactly(v2, v1);
        assertThat(versions.deleteMarkers()).singleElement().satisfies(m -> {
            assertThat(m.versionId()).isEqualTo(marker.versionId());
            assertThat(m.isLatest()).isTrue();
        });
        assertThat(s3.listObjectsV2(b -> b.bucket("history")).contents()).isEmpty();

        s3.deleteObject(b -> b.bucket("history").key("doc").versionId(marker.versionId()));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("history").key("doc")).asUtf8String()).isEqualTo("two");
        s3.deleteObject(b -> b.bucket("history").key("doc").versionId(v2));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("history").key("doc")).asUtf8String()).isEqualTo("one");
    }

    @Test
    void bucketLifecycleAndErrors() {
        s3.createBucket(b -> b.bucket("temporary"));
        assertThat(s3.listBuckets().buckets()).anySatisfy(bucket -> assertThat(bucket.name()).isEqualTo("temporary"));
        s3.headBucket(b -> b.bucket("temporary"));
        assertThatThrownBy(() -> s3.createBucket(b -> b.bucket("temporary")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketAlreadyOwnedByYou");
                });
        s3.putObject(b -> b.bucket("temporary").key("x"), RequestBody.fromString("x"));
        assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket("temporary")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty");
                });
        s3.deleteObject(b -> b.bucket("temporary").key("x"));
        s3.deleteBucket(b -> b.bucket("temporary"));
        assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("temporary"))).isInstanceOf(NoSuchBucketException.class);
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("temporary").key("x"))).isInstanceOf(NoSuchBucketException.class);
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(BUCKET).key("missing"))).isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void virtualHostedStyleNamesTheBucketInTheHost() throws Exception {
        s3.putObject(b -> b.bucket(BUCKET).key("vhost/object.txt"), RequestBody.fromString("by host"));
        int port = region.endpoint().getPort();
        // bucket.localhost need not resolve here: the request is signed for that host and sent to 127.0.0.1.
        URI virtual = URI.create("http://" + BUCKET + ".localhost:" + port + "/vhost/object.txt");
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                        .identity(AwsCredentialsIdentity.create(Sdk.ACCESS_KEY, Sdk.SECRET_KEY))
                        .request(SdkHttpRequest.builder().uri(virtual).method(SdkHttpMethod.GET)
                                .putHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD").build())
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, SingleRegion.NAME))
                .request();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            StringBuilder request = new StringBuilder("GET /vhost/object.txt HTTP/1.1\r\n");
            signed.headers().forEach((name, values) -> values.forEach(v -> request.append(name).append(": ").append(v).append("\r\n")));
            request.append("Connection: close\r\n\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200").endsWith("by host");
        }
    }

    @Test
    void wrongSecretIsRefused() {
        try (S3Client wrong = Sdk.s3(region.endpoint(), SingleRegion.NAME, "not-the-secret")) {
            assertThatThrownBy(() -> wrong.listBuckets())
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
                    });
            assertThatThrownBy(() -> wrong.putObject(b -> b.bucket(BUCKET).key("forged"), RequestBody.fromString("x")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("forged"))).isInstanceOf(NoSuchKeyException.class);
    }
}
