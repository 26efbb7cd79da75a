package dev.meridian.objects.s3;

/**
 * The object an {@code x-amz-copy-source} header names: {@code [/]bucket/key[?versionId=id]}, URL-encoded.
 *
 * @param versionId the version to copy, or null for the current one
 */
record CopySource(String bucket, String key, String versionId) {
    static CopySource parse(String header) {
        String value = header.startsWith("/") ? header.substring(1) : header;
        String versionId = null;
        int question = value.indexOf('?');
        if (question >= 0) {
            versionId = S3Request.parseQuery(value.substring(question + 1)).get("versionId");
            value = value.substring(0, question);
            if (versionId == null || versionId.isEmpty()) {
                throw invalid();
            }
        }
        String decoded = S3Request.percentDecode(value, false);
        int slash = decoded.indexOf('/');
        if (slash <= 0 || slash == decoded.length() - 1) {
            throw invalid();
        }
        return new CopySource(decoded.substring(0, slash), decoded.substring(slash + 1), versionId);
    }

    private static S3Exception invalid() {
        return new S3Exception(S3Error.INVALID_ARGUMENT,
                "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
                .with("ArgumentName", "x-amz-copy-source");
    }
}
