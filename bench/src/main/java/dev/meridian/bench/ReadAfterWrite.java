package dev.meridian.bench;

import dev.meridian.client.ConsistencyToken;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * A PutItem in one region and, as soon as it is acknowledged, a GetItem of the same key in another: the read is
 * timed and checked for the value just written. Each instance overwrites its own key with an increasing sequence,
 * so a read that misses the write finds the previous value (or none) rather than something unrelated.
 */
final class ReadAfterWrite {
    /** Names the region that answered a SESSION read its own region could not serve in time. */
    static final String SERVED_BY_HEADER = "x-meridian-served-by";
    /** Names the peers a GLOBAL read could not reach, whose recent writes it may therefore miss. */
    static final String UNREACHABLE_HEADER = "x-meridian-unreachable";
    private static final String SEQUENCE = "seq";

    private final String writeRegion;
    private final DynamoDbClient writer;
    private final String readRegion;
    private final DynamoDbClient reader;
    private final BenchTable table;
    private final String key;
    private final GetItemRequest read;
    /** Owned by the one thread that runs this pattern. */
    private long sequence;

    private ReadAfterWrite(String mode, String writeRegion, DynamoDbClient writer, String readRegion,
            DynamoDbClient reader, BenchTable table, Optional<String> readConsistency) {
        this.writeRegion = writeRegion;
        this.writer = writer;
        this.readRegion = readRegion;
        this.reader = reader;
        this.table = table;
        this.key = mode + ":" + writeRegion + "->" + readRegion;
        var request = GetItemRequest.builder().tableName(BenchTable.NAME).key(BenchTable.key(key));
        readConsistency.ifPresent(consistency -> request.overrideConfiguration(AwsRequestOverrideConfiguration.builder()
                .putHeader(ConsistencyToken.CONSISTENCY_HEADER, consistency).build()));
        this.read = request.build();
    }

    /** Both clients carry the same {@code MeridianSession}, which makes every call a SESSION call. */
    static ReadAfterWrite session(String writeRegion, DynamoDbClient writer, String readRegion, DynamoDbClient reader,
            BenchTable table) {
        return new ReadAfterWrite("session", writeRegion, writer, readRegion, reader, table, Optional.empty());
    }

    /** Plain clients: the read is served from whatever the reading region has applied. */
    static ReadAfterWrite eventual(String writeRegion, DynamoDbClient writer, String readRegion, DynamoDbClient reader,
            BenchTable table) {
        return new ReadAfterWrite("eventual", writeRegion, writer, readRegion, reader, table, Optional.empty());
    }

    /** Plain clients; the read alone asks for GLOBAL consistency, by its own header. */
    static ReadAfterWrite global(String writeRegion, DynamoDbClient writer, String readRegion, DynamoDbClient reader,
            BenchTable table) {
        return new ReadAfterWrite("global", writeRegion, writer, readRegion, reader, table, Optional.of("global"));
    }

    String writeRegion() {
        return writeRegion;
    }

    /** Writes the next value, reads it back in the other region at once, and adds the outcome to {@code tally}. */
    void runInto(Tally tally) {
        long written = ++sequence;
        Map<String, AttributeValue> item = new HashMap<>(table.item(key));
        item.put(SEQUENCE, AttributeValue.fromN(Long.toString(written)));
        try {
            writer.putItem(b -> b.tableName(BenchTable.NAME).item(item));
        } catch (SdkException e) {
            tally.failed("PutItem in " + writeRegion, e);
            return;
        }
        long start = System.nanoTime();
        GetItemResponse answer;
        try {
            answer = reader.getItem(read);
        } catch (SdkException e) {
            tally.failed("GetItem in " + readRegion, e);
            return;
        }
        long micros = (System.nanoTime() - start) / 1000;
        AttributeValue seen = answer.hasItem() ? answer.item().get(SEQUENCE) : null;
        tally.read(micros, seen != null && Long.toString(written).equals(seen.n()),
                answer.sdkHttpResponse().firstMatchingHeader(SERVED_BY_HEADER).isPresent(),
                answer.sdkHttpResponse().firstMatchingHeader(UNREACHABLE_HEADER).isPresent());
    }

    /** What one pattern's measured operations came to, as a value for the report. */
    record Result(Histogram readMicros, long reads, long missed, long errors, Optional<String> firstError,
            long servedElsewhere, long namedUnreachable) {
        long attempted() {
            return reads + errors;
        }

        double missedShare() {
            return reads == 0 ? Double.NaN : missed / (double) reads;
        }
    }

    /** Adds up one pattern's operations; filled by the one thread that runs them. */
    static final class Tally {
        private final Histogram readMicros = Percentiles.newMicros();
        private long reads;
        private long missed;
        private long errors;
        private String firstError;
        private long servedElsewhere;
        private long namedUnreachable;

        void read(long micros, boolean sawWrite, boolean servedElsewhere, boolean namedUnreachable) {
            readMicros.recordValue(Math.min(micros, Percentiles.MAX_MICROS));
            reads++;
            missed += sawWrite ? 0 : 1;
            this.servedElsewhere += servedElsewhere ? 1 : 0;
            this.namedUnreachable += namedUnreachable ? 1 : 0;
        }

        void failed(String call, SdkException e) {
            errors++;
            if (firstError == null) {
                firstError = call + ": " + e.getMessage();
            }
        }

        long operations() {
            return reads + errors;
        }

        Result result() {
            return new Result(readMicros.copy(), reads, missed, errors, Optional.ofNullable(firstError),
                    servedElsewhere, namedUnreachable);
        }
    }
}
