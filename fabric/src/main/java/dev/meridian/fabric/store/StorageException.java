package dev.meridian.fabric.store;

/** RocksDB failed; the region cannot promise durability for the operation that hit it. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
