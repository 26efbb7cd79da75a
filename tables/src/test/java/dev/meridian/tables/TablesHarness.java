package dev.meridian.tables;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.core.RegionConfig;
import dev.meridian.fabric.Fabric;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A TablesService over a real single-region Fabric in a temp directory, driven with JSON text, for tests. */
final class TablesHarness implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final SettableClock clock = new SettableClock(1_700_000_000_000L);
    final Fabric fabric;
    final TablesService service;

    TablesHarness(Path dir) {
        var config = new RegionConfig("us-east-1", dir, 0, 0, List.of(),
                List.of(new RegionConfig.AccessKey("key", "secret")), null).validate();
        fabric = Fabric.open(config, new SimpleMeterRegistry(), Clock.systemUTC());
        service = new TablesService(fabric, clock);
    }

    /** Calls {@code operation} with a JSON body written with single quotes for readability. */
    JsonNode call(String operation, String body) {
        return service.handle(operation, json(body));
    }

    /** Asserts the call fails with {@code error} and exactly {@code message}. */
    void fails(String operation, String body, DynamoError error, String message) {
        assertThatThrownBy(() -> call(operation, body))
                .isInstanceOfSatisfying(TablesException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.getMessage()).isEqualTo(message);
                    org.assertj.core.api.Assertions.assertThat(e.error()).isEqualTo(error);
                });
    }

    void invalid(String operation, String body, String message) {
        fails(operation, body, DynamoError.VALIDATION, message);
    }

    static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void createHashTable(String name, String hashType) {
        call("CreateTable", "{'TableName':'" + name + "','BillingMode':'PAY_PER_REQUEST',"
                + "'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'" + hashType + "'}],"
                + "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}");
    }

    void createRangeTable(String name, String hashType, String rangeType) {
        call("CreateTable", "{'TableName':'" + name + "','BillingMode':'PAY_PER_REQUEST',"
                + "'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'" + hashType + "'},"
                + "{'AttributeName':'sk','AttributeType':'" + rangeType + "'}],"
                + "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}]}");
    }

    void put(String table, String item) {
        call("PutItem", "{'TableName':'" + table + "','Item':" + item + "}");
    }

    @Override
    public void close() {
        service.close();
        fabric.close();
    }

    /** A clock tests move by hand, for TTL. */
    static final class SettableClock extends Clock {
        private final AtomicLong millis;

        SettableClock(long millis) {
            this.millis = new AtomicLong(millis);
        }

        void advanceSeconds(long seconds) {
            millis.addAndGet(seconds * 1000);
        }

        long epochSeconds() {
            return millis.get() / 1000;
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
