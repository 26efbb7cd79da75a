package dev.meridian.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads and writes Meridian's config files (regions, the gateway) as YAML: unknown fields refused, durations as
 * people write them ({@link DurationText}), and every mistake a {@link ConfigException} naming the field.
 */
public final class ConfigYaml {
    private static final ObjectMapper YAML = new ObjectMapper(
                    new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
            .registerModule(DurationText.jacksonModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConfigYaml() {}

    public static <T> T read(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist");
        }
        try {
            return parse(Files.readString(file), type);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    public static <T> T parse(String yaml, Class<T> type) {
        try {
            T config = YAML.readValue(yaml, type);
            if (config == null) {
                throw new ConfigException("config is empty");
            }
            return config;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(path(e) + ": unknown field; known fields are " + e.getKnownPropertyIds(), e);
        } catch (JsonMappingException e) {
            String detail = e.getOriginalMessage().startsWith("Missing required creator property")
                    ? "missing; this field is required"
                    : e.getOriginalMessage().split("\n")[0];
            throw new ConfigException(path(e) + ": " + detail, e);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config is not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    public static String write(Object config) {
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
        return path.isEmpty() ? "config" : path.substring(path.startsWith(".") ? 1 : 0);
    }
}
