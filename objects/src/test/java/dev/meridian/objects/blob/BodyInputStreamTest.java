package dev.meridian.objects.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpRequestWriter;
import com.linecorp.armeria.common.RequestHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BodyInputStreamTest {
    private final EventExecutor eventLoop = CommonPools.workerGroup().next();

    private static HttpRequestWriter streamingPut() {
        return HttpRequest.streaming(RequestHeaders.of(HttpMethod.PUT, "/bucket/key"));
    }

    @Test
    void readsEveryChunkInOrderWhileTheWriterIsStillSending() throws Exception {
        HttpRequestWriter request = streamingPut();
        BodyInputStream body = BodyInputStream.of(request, eventLoop);
        var random = new Random(7);
        var sent = new ByteArrayOutputStream();
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 200; i++) {
                byte[] chunk = new byte[1 + random.nextInt(20_000)];
                random.nextBytes(chunk);
                sent.writeBytes(chunk);
                request.write(HttpData.wrap(chunk));
            }
            request.close();
        });
        writer.start();

        byte[] read = body.readAllBytes();
        writer.join();

        assertThat(read).isEqualTo(sent.toByteArray());
        assertThat(body.read()).isEqualTo(-1);
    }

    @Test
    void aBodyThatFailsMidwayFailsTheRead() {
        HttpRequestWriter request = streamingPut();
        BodyInputStream body = BodyInputStream.of(request, eventLoop);
        request.write(HttpData.ofUtf8("partial"));
        request.abort(new IllegalStateException("connection reset"));

        assertThatThrownBy(body::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("connection reset");
    }

    @Test
    void closingReleasesPooledChunksNotRead() throws Exception {
        HttpRequestWriter request = streamingPut();
        BodyInputStream body = BodyInputStream.of(request, eventLoop);
        List<ByteBuf> buffers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(1024).writeBytes(new byte[1024]);
            buffers.add(buffer);
            request.write(HttpData.wrap(buffer));
        }
        assertThat(body.read(new byte[10], 0, 10)).isEqualTo(10);

        body.close();

        // The stream cancels on the event loop, which then drops what it had not delivered yet.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(buffers).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero()));
    }
}
