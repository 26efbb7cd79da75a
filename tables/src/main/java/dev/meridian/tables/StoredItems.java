package dev.meridian.tables;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.fabric.Record;
import dev.meridian.tables.json.ItemJson;
import dev.meridian.tables.model.AttributeValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How items are stored as fabric values (DynamoDB JSON bytes) and which stored items are live: an item whose TTL
 * attribute holds an epoch-seconds number in the past is expired and no read or write sees it.
 */
final class StoredItems {
    /** DynamoDB ignores TTL values more than five years in the past (they are likely not epoch seconds). */
    private static final long TTL_HORIZON_SECONDS = Duration.ofDays(5 * 365).toSeconds();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;

    StoredItems(Clock clock) {
        this.clock = clock;
    }

    static byte[] encode(Map<String, AttributeValue> item) {
        try {
            return JSON.writeValueAsBytes(ItemJson.writeItem(item));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, AttributeValue> decode(byte[] value) {
        try {
            return ItemJson.readItem(JSON.readTree(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record's item unless it has expired. */
    Optional<Map<String, AttributeValue>> live(TableDefinition table, Optional<Record> record) {
        return record.map(r -> decode(r.value())).filter(item -> !isExpired(table, item));
    }

    boolean isExpired(TableDefinition table, Map<String, AttributeValue> item) {
        if (table.ttlAttribute().isEmpty()
                || !(item.get(table.ttlAttribute().get()) instanceof AttributeValue.N expiry)) {
            return false;
        }
        BigDecimal now = BigDecimal.valueOf(clock.millis()).movePointLeft(3);
        return expiry.value().compareTo(now) <= 0
                && expiry.value().compareTo(now.subtract(BigDecimal.valueOf(TTL_HORIZON_SECONDS))) > 0;
    }
}
