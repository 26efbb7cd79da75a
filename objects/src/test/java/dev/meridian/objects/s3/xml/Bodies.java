package dev.meridian.objects.s3.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.objects.s3.S3Error;
import dev.meridian.objects.s3.S3Exception;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** Request bodies the parsers must refuse, shared by the parser tests. */
final class Bodies {
    private Bodies() {}

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static void refused(Function<byte[], ?> parser, String body, S3Error error) {
        refused(parser, utf8(body), error);
    }

    static void refused(Function<byte[], ?> parser, byte[] body, S3Error error) {
        assertThatThrownBy(() -> parser.apply(body))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    /** A body whose {@code &xxe;} would read a local file if external entities were resolved. */
    static String externalEntity(String root, String inner, Path secret) {
        return "<?xml version=\"1.0\"?><!DOCTYPE " + root + " [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + "<" + root + ">" + inner + "</" + root + ">";
    }

    /** Billion laughs: a few hundred bytes that expand to gigabytes if internal entities are expanded. */
    static String entityExpansion(String root, String inner) {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE " + root + " [<!ENTITY l0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
        }
        return dtd.append("]><").append(root).append('>').append(inner).append("</").append(root).append('>')
                .toString();
    }

    /** A local file an external entity could read: its content is a value the parser would accept. */
    static Path localFile(Path dir, String content) throws Exception {
        return Files.writeString(dir.resolve("local.txt"), content);
    }
}
