package dev.meridian.core;

import java.nio.file.Path;

/** Reads and writes {@link RegionConfig} as YAML, turning every mistake into a {@link ConfigException}. */
public final class RegionConfigLoader {
    private RegionConfigLoader() {}

    public static RegionConfig load(Path file) {
        return ConfigYaml.read(file, RegionConfig.class).validate();
    }

    public static RegionConfig parse(String yaml) {
        return ConfigYaml.parse(yaml, RegionConfig.class).validate();
    }

    public static String write(RegionConfig config) {
        return ConfigYaml.write(config);
    }
}
