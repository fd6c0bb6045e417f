package org.planetarymesh.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.planetarymesh.agent.bidding.BiddingPolicy;

/**
 * Builds an {@link AgentConfig} from three sources, the first that sets a value winning: flags (the map the CLI
 * passes, keys like {@code max-concurrent} or {@code max_concurrent}), then {@code MESH_*} environment variables
 * ({@code MESH_MAX_CONCURRENT}), then an {@code agent.toml} named by the {@code config} flag or {@code MESH_CONFIG}.
 * Every source is reduced to strings first so that one parser checks them all and names the source in its errors.
 * Executors' own settings are keys {@code executors.NAME.KEY}: a flag of that name, or a table
 * {@code [executors.NAME]} in the TOML file.
 */
public final class AgentConfigLoader {

    /** Settings understood in every source, snake_case. */
    public static final Set<String> SETTINGS = Set.of(
            "coordinator",
            "token",
            "name",
            "capabilities",
            "max_concurrent",
            "labels",
            "data_dir",
            "allow_shell",
            "allow_http",
            "categories",
            "fallback",
            "http_host",
            "http_port",
            "heartbeat_interval_ms",
            "reconnect_max_ms",
            "outbox_capacity",
            "receipt_batch_ms",
            "shutdown_grace_ms",
            "ca_file",
            "tls_cert",
            "tls_key",
            "plugins",
            "execute_token",
            "metrics_token",
            "bidding",
            "bid_price_per_job",
            "bid_price_per_second",
            "bid_min_price",
            "bid_eta_ms",
            "bid_standing_offers",
            "tools",
            "offer_cpus",
            "offer_memory_mb",
            "offer_gpus",
            "config");

    /** Prefix of an executor's own setting, {@code executors.NAME.KEY}. */
    public static final String EXECUTOR_PREFIX = "executors.";

    private static final Set<String> TABLE_SETTINGS =
            Set.of("labels", "categories", "bid_price_per_job", "bid_price_per_second", "bid_eta_ms");

    private AgentConfigLoader() {}

    /** Loads with the process environment. */
    public static AgentConfig load(Map<String, String> flags) {
        return load(flags, System.getenv());
    }

    /** Loads from {@code flags}, then {@code env}, then the TOML file either of them names. */
    public static AgentConfig load(Map<String, String> flags, Map<String, String> env) {
        Map<String, Sourced> values = new LinkedHashMap<>();
        Map<String, Sourced> fromFlags = fromFlags(flags);
        Map<String, Sourced> fromEnv = fromEnv(env);
        Sourced configFile = fromFlags.getOrDefault("config", fromEnv.get("config"));
        if (configFile != null) {
            fromToml(Path.of(configFile.value())).forEach(values::put);
        }
        values.putAll(fromEnv);
        values.putAll(fromFlags);
        return toConfig(values);
    }

    private static Map<String, Sourced> fromFlags(Map<String, String> flags) {
        Map<String, Sourced> out = new LinkedHashMap<>();
        flags.forEach((key, value) -> {
            if (key.startsWith(EXECUTOR_PREFIX)) {
                if (value != null) {
                    out.put(
                            key,
                            new Sourced(value, "flag --executor-setting " + key.substring(EXECUTOR_PREFIX.length())));
                }
                return;
            }
            String name = key.replaceFirst("^-+", "").replace('-', '_').toLowerCase(Locale.ROOT);
            if (!SETTINGS.contains(name)) {
                throw new InvalidConfigException(
                        name, "unknown setting '" + key + "'; known settings: " + new TreeSet<>(SETTINGS));
            }
            if (value != null) {
                out.put(name, new Sourced(value, "flag --" + name.replace('_', '-')));
            }
        });
        return out;
    }

    private static Map<String, Sourced> fromEnv(Map<String, String> env) {
        Map<String, Sourced> out = new LinkedHashMap<>();
        for (String name : SETTINGS) {
            String var = "MESH_" + name.toUpperCase(Locale.ROOT);
            String value = env.get(var);
            if (value != null && !value.isEmpty()) {
                out.put(name, new Sourced(value, "environment variable " + var));
            }
        }
        return out;
    }

    private static Map<String, Sourced> fromToml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException("config", "config: file " + file.toAbsolutePath() + " does not exist");
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidConfigException(
                    "config",
                    "config: " + file + " is not valid TOML: "
                            + e.getMessage().lines().findFirst().orElse(""));
        }
        Map<String, Sourced> out = new LinkedHashMap<>();
        flattenToml(root, file, out);
        return out;
    }

    // Sections such as [limits] are flattened: [limits] max_concurrent = 4 is max_concurrent.
    private static void flattenToml(JsonNode node, Path file, Map<String, Sourced> out) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey().replace('-', '_').toLowerCase(Locale.ROOT);
            JsonNode value = field.getValue();
            String source = file.getFileName() + " key '" + field.getKey() + "'";
            if (name.equals("executors") && value.isObject()) {
                executorTables(value, file, out);
                continue;
            }
            if (value.isObject() && !TABLE_SETTINGS.contains(name)) {
                flattenToml(value, file, out);
                continue;
            }
            if (!SETTINGS.contains(name) || name.equals("config")) {
                throw new InvalidConfigException(
                        name,
                        "unknown setting '" + field.getKey() + "' in " + file + "; known settings: "
                                + new TreeSet<>(SETTINGS));
            }
            out.put(name, new Sourced(tomlToString(name, value, source), source));
        }
    }

    private static void executorTables(JsonNode executors, Path file, Map<String, Sourced> out) {
        for (Map.Entry<String, JsonNode> executor : executors.properties()) {
            if (!executor.getValue().isObject()) {
                throw new InvalidConfigException(
                        "executors",
                        "executors." + executor.getKey() + " in " + file + " must be a table: write [executors."
                                + executor.getKey() + "] and its settings below it");
            }
            for (Map.Entry<String, JsonNode> setting : executor.getValue().properties()) {
                String key = EXECUTOR_PREFIX + executor.getKey() + "." + setting.getKey();
                String source = file.getFileName() + " [executors." + executor.getKey() + "]";
                out.put(key, new Sourced(tomlToString(key, setting.getValue(), source), source));
            }
        }
    }

    private static String tomlToString(String name, JsonNode value, String source) {
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(v.asText()));
            return String.join(",", items);
        }
        if (value.isObject()) {
            List<String> pairs = new ArrayList<>();
            value.properties()
                    .forEach(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
            return String.join(",", pairs);
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        throw new InvalidConfigException(name, name + " (" + source + "): unsupported TOML value " + value);
    }

    private static AgentConfig toConfig(Map<String, Sourced> v) {
        AgentConfig.Builder b = AgentConfig.builder();
        str(v, "coordinator").ifPresent(b::coordinator);
        str(v, "token").ifPresent(b::token);
        str(v, "name").ifPresent(b::name);
        if (v.containsKey("capabilities")) {
            b.capabilities(list(v.get("capabilities").value()));
        }
        if (v.containsKey("max_concurrent")) {
            b.maxConcurrent(integer(v, "max_concurrent"));
        }
        if (v.containsKey("labels")) {
            b.labels(pairs("labels", v.get("labels")));
        }
        str(v, "data_dir").ifPresent(d -> b.dataDir(Path.of(d)));
        if (v.containsKey("allow_shell")) {
            b.allowShell(list(v.get("allow_shell").value()));
        }
        if (v.containsKey("allow_http")) {
            b.allowHttp(list(v.get("allow_http").value()));
        }
        if (v.containsKey("categories")) {
            b.categories(pairs("categories", v.get("categories")));
        }
        str(v, "fallback").ifPresent(b::fallback);
        str(v, "http_host").ifPresent(b::httpHost);
        if (v.containsKey("http_port")) {
            b.httpPort(integer(v, "http_port"));
        }
        if (v.containsKey("heartbeat_interval_ms")) {
            b.heartbeatInterval(Duration.ofMillis(integer(v, "heartbeat_interval_ms")));
        }
        if (v.containsKey("reconnect_max_ms")) {
            b.reconnectMax(Duration.ofMillis(integer(v, "reconnect_max_ms")));
        }
        if (v.containsKey("outbox_capacity")) {
            b.outboxCapacity(integer(v, "outbox_capacity"));
        }
        if (v.containsKey("receipt_batch_ms")) {
            b.receiptBatch(Duration.ofMillis(integer(v, "receipt_batch_ms")));
        }
        if (v.containsKey("shutdown_grace_ms")) {
            b.shutdownGrace(Duration.ofMillis(integer(v, "shutdown_grace_ms")));
        }
        str(v, "ca_file").ifPresent(f -> b.caFile(Path.of(f)));
        str(v, "tls_cert").ifPresent(f -> b.tlsCert(Path.of(f)));
        str(v, "tls_key").ifPresent(f -> b.tlsKey(Path.of(f)));
        str(v, "plugins").ifPresent(d -> b.plugins(Path.of(d)));
        str(v, "execute_token").ifPresent(b::executeToken);
        str(v, "metrics_token").ifPresent(b::metricsToken);
        b.bidding(bidding(v));
        b.offer(offer(v));
        v.forEach((key, value) -> {
            if (key.startsWith(EXECUTOR_PREFIX)) {
                String rest = key.substring(EXECUTOR_PREFIX.length());
                int dot = rest.lastIndexOf('.');
                if (dot <= 0 || dot == rest.length() - 1) {
                    throw new InvalidConfigException(
                            "executors",
                            "executor setting '" + rest + "' (from " + value.source()
                                    + ") must be NAME.KEY=VALUE, e.g. checksum.algorithm=SHA-256");
                }
                b.executorSetting(rest.substring(0, dot), rest.substring(dot + 1), value.value(), value.source());
            }
        });
        try {
            return b.build();
        } catch (InvalidConfigException e) {
            Sourced bad = v.get(e.setting());
            throw bad == null
                    ? e
                    : new InvalidConfigException(e.setting(), e.getMessage() + " (from " + bad.source() + ")");
        }
    }

    /** The {@code bid_*} settings: prices are whole credits, per job type ({@code *}: any other type). */
    private static BiddingPolicy bidding(Map<String, Sourced> v) {
        BiddingPolicy d = BiddingPolicy.DEFAULT;
        return new BiddingPolicy(
                v.containsKey("bidding") ? flag(v, "bidding") : d.enabled(),
                v.containsKey("bid_price_per_job") ? amounts(v, "bid_price_per_job") : d.pricePerJob(),
                v.containsKey("bid_price_per_second") ? amounts(v, "bid_price_per_second") : d.pricePerSecond(),
                v.containsKey("bid_min_price") ? amount(v.get("bid_min_price"), "bid_min_price", "") : d.minPrice(),
                v.containsKey("bid_eta_ms") ? amounts(v, "bid_eta_ms") : d.etaMs(),
                v.containsKey("bid_standing_offers") ? flag(v, "bid_standing_offers") : d.standingOffers());
    }

    private static Map<String, Long> amounts(Map<String, Sourced> v, String name) {
        Map<String, Long> out = new LinkedHashMap<>();
        pairs(name, v.get(name)).forEach((type, value) -> out.put(type, amount(v.get(name), name, type)));
        return out;
    }

    private static long amount(Sourced s, String name, String type) {
        String text = type.isEmpty() ? s.value().strip() : pairs(name, s).get(type);
        String where = type.isEmpty() ? name : name + "." + type;
        try {
            long value = Long.parseLong(text.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidConfigException(
                name, where + ": '" + text + "' is not a whole number of 0 or more (from " + s.source() + ")");
    }

    private static MachineOffer offer(Map<String, Sourced> v) {
        List<String> tools = v.containsKey("tools") ? list(v.get("tools").value()) : null;
        Long cpus = v.containsKey("offer_cpus") ? amount(v.get("offer_cpus"), "offer_cpus", "") : null;
        Long memoryMb =
                v.containsKey("offer_memory_mb") ? amount(v.get("offer_memory_mb"), "offer_memory_mb", "") : null;
        Long gpus = v.containsKey("offer_gpus") ? amount(v.get("offer_gpus"), "offer_gpus", "") : null;
        return new MachineOffer(
                tools, cpus == null ? null : cpus.doubleValue(), memoryMb, gpus == null ? null : gpus.intValue());
    }

    private static boolean flag(Map<String, Sourced> v, String name) {
        Sourced s = v.get(name);
        return switch (s.value().strip().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default ->
                throw new InvalidConfigException(
                        name, name + ": '" + s.value() + "' is not true or false (from " + s.source() + ")");
        };
    }

    private static java.util.Optional<String> str(Map<String, Sourced> v, String name) {
        return java.util.Optional.ofNullable(v.get(name)).map(Sourced::value);
    }

    private static int integer(Map<String, Sourced> v, String name) {
        Sourced s = v.get(name);
        try {
            return Integer.parseInt(s.value().strip());
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(
                    name, name + ": '" + s.value() + "' is not a whole number (from " + s.source() + ")");
        }
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static Map<String, String> pairs(String name, Sourced s) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : list(s.value())) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new InvalidConfigException(
                        name, name + ": '" + item + "' is not key=value (from " + s.source() + "); write k=v,k2=v2");
            }
            out.put(item.substring(0, eq).strip(), item.substring(eq + 1).strip());
        }
        return out;
    }

    private record Sourced(String value, String source) {}
}
