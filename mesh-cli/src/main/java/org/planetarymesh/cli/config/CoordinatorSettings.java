package org.planetarymesh.cli.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.planetarymesh.cli.UserError;
import org.planetarymesh.cli.config.LayeredSettings.Sourced;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.auction.AuctionSettings;
import org.planetarymesh.coordinator.leadership.LeadershipSettings;
import org.planetarymesh.core.job.BidSelection;

/**
 * Every setting of a coordinator ({@code mesh coordinator}, and the coordinator inside {@code mesh up}) by its one
 * name: the key in {@code coordinator.toml}, {@code MESH_<KEY>} in the environment, and for the common ones a flag.
 * docs/CONFIGURATION.md lists the same names; a test keeps the two in step.
 */
public final class CoordinatorSettings {

    /** How a setting's value, already read as text, changes the config. */
    private interface Apply extends BiFunction<CoordinatorConfig, Sourced, CoordinatorConfig> {}

    private static final Map<String, Apply> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("host", (c, v) -> c.withHost(v.value().strip()));
        SETTINGS.put("port", (c, v) -> c.withPort(integer(v, 0, 65_535)));
        SETTINGS.put("data_dir", (c, v) -> c); // read first, as every other default hangs off it
        SETTINGS.put("database_url", (c, v) -> c.withDatabaseUrl(v.value().strip()));
        SETTINGS.put("tls_cert", (c, v) -> c); // the three TLS settings are applied together
        SETTINGS.put("tls_key", (c, v) -> c);
        SETTINGS.put("tls_client_ca", (c, v) -> c);
        SETTINGS.put(
                "heartbeat_interval_ms",
                (c, v) -> c.withHealth(millis(v, 10, 600_000), c.suspectAfter(), c.deadAfter()));
        SETTINGS.put(
                "suspect_after_ms",
                (c, v) -> c.withHealth(c.heartbeatInterval(), millis(v, 10, 3_600_000), c.deadAfter()));
        SETTINGS.put(
                "dead_after_ms",
                (c, v) -> c.withHealth(c.heartbeatInterval(), c.suspectAfter(), millis(v, 10, 3_600_000)));
        SETTINGS.put("heartbeats_per_second", (c, v) -> c.withHeartbeatsPerSecond(integer(v, 1, 1_000_000)));
        SETTINGS.put("recovery_grace_ms", (c, v) -> c.withRecoveryGrace(millis(v, 0, 3_600_000)));
        SETTINGS.put("max_body_bytes", (c, v) -> c.withMaxBodyBytes(integer(v, 1_024, Integer.MAX_VALUE)));
        SETTINGS.put("max_blob_bytes", (c, v) -> c.withMaxBlobBytes(integer(v, 1, Integer.MAX_VALUE)));
        SETTINGS.put("max_batch_jobs", (c, v) -> c.withMaxBatchJobs(integer(v, 1, 1_000_000)));
        SETTINGS.put("max_payload_bytes", (c, v) -> c.withMaxPayloadBytes(integer(v, 1, Integer.MAX_VALUE)));
        SETTINGS.put("max_subscribers_per_job", (c, v) -> c.withMaxSubscribersPerJob(integer(v, 1, 1_000_000)));
        SETTINGS.put(
                "max_queued_jobs_per_token", (c, v) -> c.withMaxQueuedJobsPerToken(integer(v, 1, Integer.MAX_VALUE)));
        SETTINGS.put("max_frame_bytes", (c, v) -> c.withMaxFrameBytes(integer(v, 1_024, Integer.MAX_VALUE)));
        SETTINGS.put("require_agent_key", (c, v) -> c.withRequireAgentKey(bool(v)));
        SETTINGS.put("dead_node_retention_ms", (c, v) -> c.withDeadNodeRetention(millis(v, 0, Integer.MAX_VALUE)));
        SETTINGS.put(
                "retention_completed_max_age_ms",
                (c, v) -> c.withRetention(c.retention()
                        .withCompleted(
                                millis(v, 0, Long.MAX_VALUE / 2), c.retention().completedMaxCount())));
        SETTINGS.put(
                "retention_completed_max_count",
                (c, v) -> c.withRetention(c.retention()
                        .withCompleted(c.retention().completedMaxAge(), integer(v, 0, Integer.MAX_VALUE))));
        SETTINGS.put(
                "retention_failed_max_age_ms",
                (c, v) -> c.withRetention(c.retention()
                        .withFailed(
                                millis(v, 0, Long.MAX_VALUE / 2), c.retention().failedMaxCount())));
        SETTINGS.put(
                "retention_failed_max_count",
                (c, v) -> c.withRetention(
                        c.retention().withFailed(c.retention().failedMaxAge(), integer(v, 0, Integer.MAX_VALUE))));
        SETTINGS.put(
                "retention_interval_ms",
                (c, v) -> c.withRetention(c.retention()
                        .withSweep(millis(v, 10, 3_600_000), c.retention().batch())));
        SETTINGS.put(
                "retention_batch",
                (c, v) -> c.withRetention(c.retention().withSweep(c.retention().interval(), integer(v, 1, 10_000))));
        SETTINGS.put(
                "max_output_bytes",
                (c, v) -> c.withRetention(c.retention().withMaxOutputBytes(integer(v, 0, Integer.MAX_VALUE))));
        SETTINGS.put("local_nodes", (c, v) -> c.withLocalNodes(localNodes(v)));
        SETTINGS.put("auction_window_ms", (c, v) -> auction(c, a -> a.withWindow(millis(v, 1, 600_000))));
        SETTINGS.put(
                "auction_reannounce_ms",
                (c, v) -> auction(c, a -> a.withReannounce(millis(v, 1, 600_000), a.reannounces())));
        SETTINGS.put(
                "auction_reannounces",
                (c, v) -> auction(c, a -> a.withReannounce(a.reannounceInterval(), integer(v, 0, 1_000))));
        SETTINGS.put("auction_bid_revisions", (c, v) -> auction(c, a -> a.withBidRevisions(integer(v, 0, 1_000))));
        SETTINGS.put(
                "auction_assign_retries", (c, v) -> auction(c, a -> a.withAck(a.ackTimeout(), integer(v, 0, 1_000))));
        SETTINGS.put(
                "auction_ack_timeout_ms",
                (c, v) -> auction(c, a -> a.withAck(millis(v, 1, 600_000), a.assignRetries())));
        SETTINGS.put(
                "auction_weight_price",
                (c, v) -> auction(
                        c,
                        a -> a.withWeights(new AuctionSettings.Weights(
                                weight(v), a.weights().eta(), a.weights().reputation()))));
        SETTINGS.put(
                "auction_weight_eta",
                (c, v) -> auction(
                        c,
                        a -> a.withWeights(new AuctionSettings.Weights(
                                a.weights().price(), weight(v), a.weights().reputation()))));
        SETTINGS.put(
                "auction_weight_reputation",
                (c, v) -> auction(
                        c,
                        a -> a.withWeights(new AuctionSettings.Weights(
                                a.weights().price(), a.weights().eta(), weight(v)))));
        SETTINGS.put(
                "auction_selection",
                (c, v) -> auction(
                        c,
                        a -> a.withSelection(BidSelection.fromWire(v.value().strip())
                                .orElseThrow(() -> invalid(v, "must be lowest_price, fastest or best_value")))));
        SETTINGS.put("auction_standing_offers", (c, v) -> auction(c, a -> a.withStandingOffers(bool(v))));
        SETTINGS.put("auction_network_jobs", (c, v) -> auction(c, a -> a.withNetworkJobs(bool(v))));
        SETTINGS.put("receipts", (c, v) -> c.withReceipts(bool(v)));
        SETTINGS.put(
                "federation_accept_foreign_jobs",
                (c, v) -> c.withFederation(c.federation().withAcceptForeignJobs(bool(v))));
        SETTINGS.put(
                "federation_max_hops", (c, v) -> c.withFederation(c.federation().withMaxHops(integer(v, 1, 16))));
        SETTINGS.put(
                "federation_min_reward",
                (c, v) -> c.withFederation(c.federation().withMinReward(integer(v, 0, Integer.MAX_VALUE))));
        SETTINGS.put(
                "leader_lease_ms",
                (c, v) -> c.withLeadership(new LeadershipSettings(
                        millis(v, 300, 600_000), c.leadership().advertiseUrl())));
        SETTINGS.put(
                "advertise_url",
                (c, v) -> c.withLeadership(new LeadershipSettings(c.leadership().lease(), advertiseUrl(v))));
        SETTINGS.put("log_format", (c, v) -> { // applied to logging before anything starts (LogFormat)
            LogFormat.check(v.value(), v.source());
            return c;
        });
    }

    private CoordinatorSettings() {}

    /** The setting names, and {@code config} (the file itself). */
    public static Set<String> names() {
        Set<String> names = new java.util.LinkedHashSet<>(SETTINGS.keySet());
        names.add("config");
        return names;
    }

    /** The coordinator's config from {@code flags} (snake_case keys, null when not given), the environment and file. */
    public static CoordinatorConfig load(Map<String, String> flags, Map<String, String> env) {
        return toConfig(LayeredSettings.load(names(), flags, env));
    }

    /**
     * As {@link #load} with the process environment, and switches the process's logs to the {@code log_format} the
     * settings name, before the coordinator logs anything.
     */
    public static CoordinatorConfig loadForProcess(Map<String, String> flags) {
        LayeredSettings settings = LayeredSettings.load(names(), flags, System.getenv());
        Sourced format = settings.get("log_format");
        LogFormat.apply(format == null ? null : format.value(), format == null ? null : format.source());
        return toConfig(settings);
    }

    /** The coordinator config the settings describe; every other setting starts from the data dir's defaults. */
    static CoordinatorConfig toConfig(LayeredSettings settings) {
        Path dataDir = settings.has("data_dir")
                ? Path.of(settings.get("data_dir").value().strip())
                : Path.of(".mesh");
        CoordinatorConfig config = CoordinatorConfig.defaults(dataDir);
        for (Map.Entry<String, Apply> setting : SETTINGS.entrySet()) {
            Sourced value = settings.get(setting.getKey());
            if (value != null) {
                config = setting.getValue().apply(config, value);
            }
        }
        return withTls(config, settings);
    }

    private static CoordinatorConfig withTls(CoordinatorConfig config, LayeredSettings settings) {
        Sourced cert = settings.get("tls_cert");
        Sourced key = settings.get("tls_key");
        Sourced clientCa = settings.get("tls_client_ca");
        if ((cert == null) != (key == null) || (clientCa != null && cert == null)) {
            throw new UserError(
                    "invalid_tls",
                    "tls_cert (--tls-cert) and tls_key (--tls-key) go together, and tls_client_ca (--tls-client-ca)"
                            + " needs both");
        }
        if (cert == null) {
            return config;
        }
        return config.withTls(new CoordinatorConfig.Tls(
                Path.of(cert.value()), Path.of(key.value()), clientCa == null ? null : Path.of(clientCa.value())));
    }

    /** A comma list of agents' node ids (did:key) that are this coordinator's own and take scope-LOCAL jobs. */
    private static Set<String> localNodes(Sourced v) {
        Set<String> ids = new java.util.LinkedHashSet<>();
        for (String id : v.value().split(",")) {
            String trimmed = id.strip();
            if (!trimmed.startsWith("did:key:z6Mk")) {
                throw invalid(
                        v, "must list agents' node ids, did:key values (did:key:z6Mk...) as 'mesh nodes' shows them");
            }
            ids.add(trimmed);
        }
        return ids;
    }

    private static String advertiseUrl(Sourced v) {
        String url = v.value().strip();
        if (!url.matches("https?://[^/\\s]+(/.*)?")) {
            throw invalid(v, "must be the http(s) URL others reach this coordinator at, e.g. http://10.0.0.5:7070");
        }
        return url;
    }

    private static int integer(Sourced v, long min, long max) {
        long value;
        try {
            value = Long.parseLong(v.value().strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw invalid(v, "is not a whole number");
        }
        if (value < min || value > max) {
            throw invalid(v, "must be between " + min + " and " + max);
        }
        return (int) value;
    }

    private static Duration millis(Sourced v, long min, long max) {
        return Duration.ofMillis(integer(v, min, max));
    }

    private static CoordinatorConfig auction(
            CoordinatorConfig c, java.util.function.UnaryOperator<AuctionSettings> change) {
        return c.withAuction(change.apply(c.auction()));
    }

    /** A best-value weight: a number from 0 to 1. */
    private static double weight(Sourced v) {
        double value;
        try {
            value = Double.parseDouble(v.value().strip());
        } catch (NumberFormatException e) {
            throw invalid(v, "is not a number");
        }
        if (!(value >= 0 && value <= 1)) {
            throw invalid(v, "must be between 0 and 1");
        }
        return value;
    }

    private static boolean bool(Sourced v) {
        return switch (v.value().strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(v, "must be true or false");
        };
    }

    private static UserError invalid(Sourced v, String problem) {
        return new UserError("invalid_config", "'" + v.value() + "' (from " + v.source() + ") " + problem);
    }
}
