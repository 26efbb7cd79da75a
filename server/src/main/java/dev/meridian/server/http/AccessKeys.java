package dev.meridian.server.http;

import dev.meridian.core.RegionConfig;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The configured credentials as the SigV4 verifier looks them up: access key id to secret. */
final class AccessKeys {
    private AccessKeys() {}

    static Function<String, java.util.Optional<String>> of(RegionConfig config) {
        Map<String, String> secrets = config.accessKeys().stream().collect(Collectors.toUnmodifiableMap(
                RegionConfig.AccessKey::accessKeyId, RegionConfig.AccessKey::secretAccessKey, (a, b) -> a));
        return id -> java.util.Optional.ofNullable(secrets.get(id));
    }
}
