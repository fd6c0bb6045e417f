package org.planetarymesh.core.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Normalises the address a push-mode node registers: {@code :8081} becomes
 * {@code http://localhost:8081}, {@code host:8081} becomes {@code http://host:8081}, and {@code http(s)://...} is
 * kept as given. Anything else is refused with a message saying which form to use.
 */
public final class AgentAddress {

    private static final Pattern HOST_PORT = Pattern.compile("^(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9.-]*):([0-9]{1,5})$");

    private AgentAddress() {}

    /** Returns the base URL for {@code address}, or throws {@link IllegalArgumentException} saying what is wrong. */
    public static String normalize(String address) {
        if (address == null || address.isBlank()) {
            throw invalid(address, "it is empty");
        }
        String trimmed = address.strip();
        if (trimmed.startsWith("http://") || trimmed.startsWith("https://")) {
            return checkUrl(trimmed);
        }
        if (trimmed.contains("://")) {
            throw invalid(address, "only http and https are supported");
        }
        var matcher = HOST_PORT.matcher(trimmed);
        if (!matcher.matches()) {
            throw invalid(address, "expected :PORT, HOST:PORT or http(s)://HOST:PORT");
        }
        String host = matcher.group(1).isEmpty() ? "localhost" : matcher.group(1);
        checkPort(address, Integer.parseInt(matcher.group(2)));
        return "http://" + host + ":" + matcher.group(2);
    }

    private static String checkUrl(String url) {
        String afterScheme = url.substring(url.indexOf("://") + 3);
        if (afterScheme.isEmpty() || afterScheme.startsWith("/") || afterScheme.startsWith(":")) {
            throw invalid(url, "the URL has no host");
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw invalid(url, "the URL has no host");
            }
            if (uri.getPort() != -1) {
                checkPort(url, uri.getPort());
            }
            return url;
        } catch (URISyntaxException e) {
            throw invalid(url, "it is not a valid URL (" + e.getReason() + ")");
        }
    }

    private static void checkPort(String address, int port) {
        if (port < 1 || port > 65_535) {
            throw invalid(address, "port " + port + " is outside 1..65535");
        }
    }

    private static IllegalArgumentException invalid(String address, String why) {
        return new IllegalArgumentException("invalid node address '" + address + "': " + why);
    }
}
