package dev.meridian.testkit;

/** What a {@link WanLink} currently lets through. */
public enum LinkState {
    /** Bytes flow after the link's delay. */
    OPEN,
    /** Connections stay open but no byte moves, as on a lost route; bytes already sent are held, not lost. */
    BLACKHOLED,
    /** Every connection is reset and new ones are reset on arrival. */
    CUT
}
