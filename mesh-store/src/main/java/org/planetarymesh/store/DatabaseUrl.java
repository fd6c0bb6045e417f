package org.planetarymesh.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A database URL as the user wrote it, resolved to a JDBC URL and credentials. Accepts {@code jdbc:sqlite:<file>},
 * {@code jdbc:postgresql://host:port/db?user=..&password=..} and the libpq form
 * {@code postgresql://user:pass@host:port/db} (also {@code postgres://}).
 *
 * @param sqliteFile the database file for SQLite (its directory is created on open), else null
 */
record DatabaseUrl(Dialect dialect, String jdbcUrl, String user, String password, Path sqliteFile) {

    private static final String SQLITE = "jdbc:sqlite:";
    private static final String JDBC_POSTGRESQL = "jdbc:postgresql:";

    static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("database URL is empty: expected " + expected());
        }
        String trimmed = url.strip();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.startsWith(SQLITE)) {
            return sqlite(trimmed);
        }
        if (lower.startsWith(JDBC_POSTGRESQL)) {
            return new DatabaseUrl(Dialect.POSTGRESQL, trimmed, null, null, null);
        }
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
            return libpq(trimmed);
        }
        throw new IllegalArgumentException(
                "unsupported database URL '" + redact(trimmed) + "': expected " + expected());
    }

    /** The URL with any password removed, fit for logs and error messages. */
    String redacted() {
        return redact(jdbcUrl);
    }

    private static DatabaseUrl sqlite(String url) {
        String rest = url.substring(SQLITE.length());
        int query = rest.indexOf('?');
        String file = query < 0 ? rest : rest.substring(0, query);
        if (file.isEmpty() || file.equals(":memory:") || rest.contains("mode=memory")) {
            // Every pooled connection would open its own private, empty in-memory database.
            throw new IllegalArgumentException(
                    "in-memory SQLite is not supported ('" + url + "'): give a file, e.g. jdbc:sqlite:/data/mesh.db");
        }
        Path path = file.startsWith("file:") ? null : Path.of(file).toAbsolutePath();
        String jdbc = path == null ? url : SQLITE + path + (query < 0 ? "" : rest.substring(query));
        return new DatabaseUrl(Dialect.SQLITE, jdbc, null, null, path);
    }

    private static DatabaseUrl libpq(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed PostgreSQL URL '" + redact(url) + "': " + e.getReason(), e);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "PostgreSQL URL '" + redact(url) + "' names no host: expected postgresql://user:pass@host:port/db");
        }
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        return new DatabaseUrl(Dialect.POSTGRESQL, jdbc.toString(), user, password, null);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String redact(String url) {
        return url.replaceAll("(://[^:/@]*):[^@/]*@", "$1:***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String expected() {
        return "jdbc:sqlite:<file>, jdbc:postgresql://host:port/db?user=..&password=.. or "
                + "postgresql://user:pass@host:port/db";
    }
}
