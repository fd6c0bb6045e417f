package org.planetarymesh.agent.config;

import java.time.Duration;
import java.util.Map;

/** Checks an {@link AgentConfig} and normalises its coordinator address; one place for every rule. */
final class ConfigValidator {
    private ConfigValidator() {}

    static AgentConfig validate(AgentConfig c) {
        String coordinator = c.coordinator();
        if (coordinator != null && !coordinator.isBlank()) {
            try {
                // One URL, or several (a leader and its standbys), comma-separated.
                coordinator = org.planetarymesh.core.net.CoordinatorUrls.join(
                        org.planetarymesh.core.net.CoordinatorUrls.normalize(coordinator.replaceFirst("^ws", "http")));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(
                        "coordinator",
                        "coordinator: " + e.getMessage().replace("node address", "coordinator address")
                                + " (e.g. --coordinator http://host:7070)");
            }
        } else {
            coordinator = null;
        }
        if (c.name() == null || c.name().isBlank()) {
            throw new InvalidConfigException("name", "name: must not be empty; pass --name NAME");
        }
        if (c.maxConcurrent() < 1 || c.maxConcurrent() > 10_000) {
            throw new InvalidConfigException(
                    "max_concurrent",
                    "max_concurrent: " + c.maxConcurrent() + " is outside 1..10000; pass --max-concurrent N");
        }
        if (c.dataDir() == null) {
            throw new InvalidConfigException("data_dir", "data_dir: must be set to a writable directory");
        }
        if (c.httpPort() < -1 || c.httpPort() > 65_535) {
            throw new InvalidConfigException(
                    "http_port", "http_port: " + c.httpPort() + " is outside -1..65535 (0 = any free port, -1 = off)");
        }
        if (c.httpHost() == null || c.httpHost().isBlank()) {
            throw new InvalidConfigException("http_host", "http_host: must not be empty (default 127.0.0.1)");
        }
        positive("heartbeat_interval_ms", c.heartbeatInterval());
        positive("reconnect_max_ms", c.reconnectMax());
        if (c.shutdownGrace() == null || c.shutdownGrace().isNegative()) {
            throw new InvalidConfigException("shutdown_grace_ms", "shutdown_grace_ms: must be 0 or more");
        }
        if (c.receiptBatch() == null
                || c.receiptBatch().isNegative()
                || c.receiptBatch().toMillis() > 1_000) {
            throw new InvalidConfigException(
                    "receipt_batch_ms", "receipt_batch_ms: " + c.receiptBatch() + " must be between 0 and 1000");
        }
        if (c.outboxCapacity() < 16) {
            throw new InvalidConfigException(
                    "outbox_capacity", "outbox_capacity: " + c.outboxCapacity() + " is too small; use 16 or more");
        }
        for (Map.Entry<String, String> e : c.labels().entrySet()) {
            if (e.getKey().isBlank()) {
                throw new InvalidConfigException("labels", "labels: a label has an empty key; write k=v,k2=v2");
            }
        }
        for (Map.Entry<String, String> e : c.categories().entrySet()) {
            if (e.getKey().isBlank() || e.getValue().isBlank()) {
                throw new InvalidConfigException(
                        "categories",
                        "categories: entry '" + e.getKey() + "=" + e.getValue()
                                + "' needs both a job type and an executor name (type=executor)");
            }
        }
        String fallback = c.fallback() == null || c.fallback().isBlank()
                ? null
                : c.fallback().strip();
        if ((c.tlsCert() == null) != (c.tlsKey() == null)) {
            throw new InvalidConfigException(
                    c.tlsCert() == null ? "tls_cert" : "tls_key",
                    "tls_cert and tls_key: set both (the client certificate and its PKCS#8 key) or neither");
        }
        for (var file : java.util.Arrays.asList(c.caFile(), c.tlsCert(), c.tlsKey())) {
            if (file != null && !java.nio.file.Files.isReadable(file)) {
                String setting = file == c.caFile() ? "ca_file" : file == c.tlsCert() ? "tls_cert" : "tls_key";
                throw new InvalidConfigException(setting, setting + ": cannot read '" + file + "'");
            }
        }
        if (c.plugins() != null && !java.nio.file.Files.isDirectory(c.plugins())) {
            throw new InvalidConfigException(
                    "plugins",
                    "plugins: '" + c.plugins()
                            + "' is not a directory; give the directory that holds the executor jars");
        }
        if (!c.executeToken().isEmpty() && c.executeToken().strip().length() < 16) {
            throw new InvalidConfigException(
                    "execute_token",
                    "execute_token: use at least 16 characters (e.g. the output of `openssl rand -hex 16`)");
        }
        if (!c.metricsToken().isEmpty() && c.metricsToken().strip().length() < 16) {
            throw new InvalidConfigException(
                    "metrics_token",
                    "metrics_token: use at least 16 characters (e.g. the output of `openssl rand -hex 16`)");
        }
        for (String executor : c.executorSettings().keySet()) {
            if (!executor.matches("[A-Za-z0-9._-]+")) {
                throw new InvalidConfigException(
                        "executors",
                        "executors: '" + executor + "' is not an executor name (letters, digits, '.', '_', '-')");
            }
        }
        return new AgentConfig(
                coordinator,
                c.token() == null ? "" : c.token(),
                c.name().strip(),
                c.capabilities(),
                c.maxConcurrent(),
                c.labels(),
                c.dataDir(),
                c.allowShell(),
                c.allowHttp(),
                c.categories(),
                fallback,
                c.httpHost(),
                c.httpPort(),
                c.heartbeatInterval(),
                c.reconnectMax(),
                c.outboxCapacity(),
                c.shutdownGrace(),
                c.caFile(),
                c.tlsCert(),
                c.tlsKey(),
                c.plugins(),
                c.executeToken(),
                c.executorSettings(),
                c.hostCommand() == null || c.hostCommand().isBlank() ? "mesh agent" : c.hostCommand(),
                c.metricsToken(),
                c.bidding(),
                c.receiptBatch(),
                c.offer());
    }

    private static void positive(String setting, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new InvalidConfigException(setting, setting + ": must be a positive number of milliseconds");
        }
    }
}
