package dev.meridian.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/** Works out the class path a region JVM needs from the one this JVM was started with. */
final class RegionClasspath {
    private RegionClasspath() {}

    /**
     * Returns {@code classpath}, except that a lone jar carrying a manifest {@code Class-Path} (Maven Surefire's
     * manifest-only booter jar, which Surefire deletes when its fork ends) is replaced by the entries it names.
     */
    static String resolve(String classpath) {
        if (classpath.contains(File.pathSeparator) || !classpath.endsWith(".jar")) {
            return classpath;
        }
        Path jar = Path.of(classpath).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            return classpath;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            String entries = file.getManifest() == null
                    ? null
                    : file.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (entries == null || entries.isBlank()) {
                return classpath;
            }
            List<String> paths = new ArrayList<>();
            for (String entry : entries.trim().split("\\s+")) {
                // Manifest entries are URLs relative to the jar's folder; Surefire writes absolute file: URLs.
                paths.add(Path.of(jar.getParent().toUri().resolve(entry)).toString());
            }
            return String.join(File.pathSeparator, paths);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of class path jar " + jar, e);
        }
    }
}
