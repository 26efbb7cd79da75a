package dev.meridian.objects;

import dev.meridian.objects.s3.S3Error;
import dev.meridian.objects.s3.S3Exception;
import java.util.regex.Pattern;

/** S3's general-purpose bucket naming rules. */
public final class BucketNames {
    private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private BucketNames() {}

    /** Throws InvalidBucketName unless S3 would accept {@code name} for a new bucket. */
    public static void check(String name) {
        if (!isValid(name)) {
            throw new S3Exception(S3Error.INVALID_BUCKET_NAME).with("BucketName", name);
        }
    }

    public static boolean isValid(String name) {
        return SHAPE.matcher(name).matches()
                && !name.contains("..")
                // Each dot-separated label starts and ends with a letter or digit, as in a DNS name.
                && !name.contains(".-") && !name.contains("-.")
                && !IP_ADDRESS.matcher(name).matches()
                && !name.startsWith("xn--")
                && !name.startsWith("sthree-")
                && !name.endsWith("-s3alias")
                && !name.endsWith("--ol-s3");
    }
}
