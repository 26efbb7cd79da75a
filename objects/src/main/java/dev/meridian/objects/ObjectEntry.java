package dev.meridian.objects;

/**
 * One version of one key in a listing.
 *
 * @param latest true when this is the key's current version (always true in ListObjects listings)
 */
public record ObjectEntry(String key, ObjectVersion version, boolean latest) {}
