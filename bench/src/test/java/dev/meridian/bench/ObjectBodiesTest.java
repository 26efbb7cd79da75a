package dev.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ObjectBodiesTest {
    private final ObjectBodies bodies = new ObjectBodies(4096);

    @Test
    void theBodyWrittenUnderAKeyPassesTheCheck() {
        byte[] body = bodies.newBuffer();
        bodies.fill("obj-4096-3-17", body);

        assertThat(bodies.mismatch("obj-4096-3-17", body, body.length)).isEmpty();
    }

    @Test
    void anotherKeysBodyFailsTheCheckEvenWhenItsKeyIsAPrefix() {
        byte[] body = bodies.newBuffer();
        bodies.fill("obj-4096-3-17", body);

        assertThat(bodies.mismatch("obj-4096-3-1", body, body.length)).get().asString()
                .contains("another key").contains("obj-4096-3-17");
    }

    @Test
    void truncatedPaddedOrCorruptedBodiesFailTheCheck() {
        byte[] body = bodies.newBuffer();
        bodies.fill("k", body);

        assertThat(bodies.mismatch("k", body, 4095)).get().asString().contains("read 4095 bytes");
        assertThat(bodies.mismatch("k", body, 4097)).get().asString().contains("read 4097 bytes");
        body[4000] ^= 1;
        assertThat(bodies.mismatch("k", body, body.length)).get().asString().contains("at byte 4000");
    }

    @Test
    void bodiesOfOneKeyAreTheSameEveryTimeAndDifferAcrossKeys() {
        byte[] first = bodies.newBuffer();
        byte[] again = bodies.newBuffer();
        byte[] other = bodies.newBuffer();
        bodies.fill("a", first);
        bodies.fill("a", again);
        bodies.fill("b", other);

        assertThat(first).isEqualTo(again);
        assertThat(Arrays.equals(first, other)).isFalse();
    }

    @Test
    void readAllCountsBytesBeyondTheBuffer() throws Exception {
        byte[] buffer = new byte[10];

        long length = S3Load.readAll(new ByteArrayInputStream(new byte[25]), buffer);

        assertThat(length).isEqualTo(25);
    }
}
