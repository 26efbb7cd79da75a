package dev.meridian.core.strong;

/**
 * What the strong log decided about one proposed write.
 *
 * @param accepted whether the write was made: no agreed write touched its key after the proposer's read
 * @param index the log index of the proposal itself
 * @param keyIndex the log index of the key's last agreed write: the proposal's when accepted, the newer write's
 *     that refused it otherwise
 */
public record Verdict(boolean accepted, long index, long keyIndex) {}
