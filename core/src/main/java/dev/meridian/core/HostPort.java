package dev.meridian.core;

/** A {@code host:port} network address. */
public record HostPort(String host, int port) {
    /** Parses {@code host:port}, naming {@code field} in the error when it is not one. */
    public static HostPort parse(String field, String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new ConfigException(field + ": '" + text + "' is not host:port");
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new HostPort(text.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new ConfigException(field + ": '" + text + "' has no valid port");
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
