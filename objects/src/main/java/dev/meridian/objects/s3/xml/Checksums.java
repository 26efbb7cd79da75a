package dev.meridian.objects.s3.xml;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The additional checksum algorithms S3 names, and the {@code Checksum<Algorithm>} element that carries each. */
final class Checksums {
    /** In the order the S3 API model lists their elements. */
    static final List<String> ALGORITHMS = List.of("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256", "SHA512", "MD5",
            "XXHASH64", "XXHASH3", "XXHASH128");

    private Checksums() {}

    static String element(String algorithm) {
        return "Checksum" + algorithm;
    }

    /** {@code others} and every checksum element: the fields of a structure that carries checksums. */
    static Set<String> withElements(String... others) {
        Set<String> names = new HashSet<>(List.of(others));
        ALGORITHMS.forEach(algorithm -> names.add(element(algorithm)));
        return Set.copyOf(names);
    }

    /** The checksums among a structure's fields, by algorithm. */
    static Map<String, String> read(Map<String, String> fields) {
        Map<String, String> checksums = new HashMap<>();
        for (String algorithm : ALGORITHMS) {
            String value = fields.get(element(algorithm));
            if (value != null) {
                checksums.put(algorithm, value.strip());
            }
        }
        return checksums;
    }
}
