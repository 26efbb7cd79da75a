package dev.meridian.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegionClasspathTest {
    @TempDir
    Path dir;

    @Test
    void manifestOnlyJarIsReplacedByTheEntriesItNames() throws Exception {
        Path jar = dir.resolve("surefirebooter123.jar");
        var manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH,
                "file:/repo/a.jar file:/work/classes/ lib/b.jar");
        try (OutputStream out = Files.newOutputStream(jar); var ignored = new JarOutputStream(out, manifest)) {
            // the manifest is all the jar holds
        }

        assertThat(RegionClasspath.resolve(jar.toString()).split(File.pathSeparator))
                .containsExactly("/repo/a.jar", "/work/classes", dir.resolve("lib/b.jar").toString());
    }

    @Test
    void ordinaryClasspathIsKept() {
        String classpath = "/a/classes" + File.pathSeparator + "/b.jar";
        assertThat(RegionClasspath.resolve(classpath)).isEqualTo(classpath);
    }
}
