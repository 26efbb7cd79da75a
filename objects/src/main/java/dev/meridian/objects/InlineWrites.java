package dev.meridian.objects;

/**
 * Hears about this region's writes whose bytes ride in their record: {@link #committing} before the record can
 * become visible, {@link #settled} once its commit has returned or failed. Lets replication know, for any such
 * version a reader sees, that its commit is under way.
 */
public interface InlineWrites {
    InlineWrites NONE = new InlineWrites() {
        @Override
        public boolean accepting() {
            return true;
        }

        @Override
        public void committing(ObjectKeys.Slot slot) {}

        @Override
        public void settled(ObjectKeys.Slot slot) {}
    };

    /** Whether a new write may carry its bytes in its record now. */
    boolean accepting();

    void committing(ObjectKeys.Slot slot);

    void settled(ObjectKeys.Slot slot);
}
