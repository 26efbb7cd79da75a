package dev.meridian.bench.faults;

import dev.meridian.testkit.history.History;
import dev.meridian.testkit.history.Operation;
import java.util.concurrent.Callable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Runs a client call and records it in the history with the outcome the client can know. */
final class CallRecorder {
    private final History history;

    CallRecorder(History history) {
        this.history = history;
    }

    /**
     * Runs one call and records it: for a read, the value it returned (null: absent); for a write, the value written.
     * An error the server answered (4xx, or the 503 of a consistency wait) changed nothing; no answer (timeout,
     * reset, a killed region) or a 500 may or may not have.
     */
    void call(String process, String region, Operation.Kind kind, String key, String written, Callable<String> action) {
        long start = System.nanoTime();
        try {
            String result = action.call();
            history.record(process, region, kind, key, kind == Operation.Kind.READ ? result : written, start,
                    Operation.Outcome.OK);
        } catch (AwsServiceException e) {
            var outcome = e.statusCode() >= 400 && e.statusCode() < 500 || e.statusCode() == 503
                    ? Operation.Outcome.FAILED : Operation.Outcome.UNKNOWN;
            history.record(process, region, kind, key, written, start, outcome);
        } catch (SdkClientException e) {
            history.record(process, region, kind, key, written, start, Operation.Outcome.UNKNOWN);
        } catch (Exception e) {
            throw new IllegalStateException("unexpected failure of a " + kind + " of " + key + " in " + region, e);
        }
    }
}
