package org.planetarymesh.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.planetarymesh.agent.bidding.BiddingPolicy;
import org.planetarymesh.executor.ExecutorConfig;

/**
 * Everything an agent needs to start, already validated. Build it with {@link #builder()} when embedding the agent,
 * or with {@link AgentConfigLoader} from flags, {@code MESH_*} environment variables and an {@code agent.toml}.
 *
 * @param coordinator base URL of the coordinator ({@code http(s)://host:port}); {@code null} runs without a link
 * @param token bearer/join token presented to the coordinator
 * @param allowShell command names or paths the {@code shell} executor may run; empty turns shell off; {@code *} = any
 * @param allowHttp hosts the {@code http} executor may call; empty turns http off; {@code *} = any
 * @param categories job type → executor name, the router's third rule
 * @param fallback executor used when no other rule matches, the router's fourth rule; {@code null} = none
 * @param httpPort local HTTP API port: 0 = ephemeral, -1 = off
 * @param caFile PEM CA bundle to trust for the coordinator's TLS certificate; null = the JDK's CAs
 * @param tlsCert PEM client certificate chain presented to a coordinator that requires mTLS; null = none
 * @param tlsKey unencrypted PKCS#8 PEM private key of {@code tlsCert}
 * @param plugins a directory whose jars are searched for executors; null = none
 * @param executeToken bearer token the local {@code POST /execute} requires; empty = {@code /execute} is off
 * @param executorSettings executor name → its settings ({@code [executors.NAME]} in agent.toml,
 *     {@code --executor-setting NAME.KEY=VALUE})
 * @param bidding how the agent prices the jobs auctions offer it ({@code bid_*} settings)
 * @param hostCommand the command running this agent ({@code mesh agent}, {@code mesh up}), named in messages that
 *     tell the operator which flag to set
 * @param metricsToken bearer token the local {@code GET /metrics} requires; empty = {@code /metrics} is off
 * @param offer the tools to look for and caps on the resources offered ({@code tools}, {@code offer_*})
 * @param receiptBatch the shortest time between two receipt signatures while results keep coming: a result within it
 *     of the last signature waits for its end and is signed with the others (0: one signature per frame)
 */
public record AgentConfig(
        String coordinator,
        String token,
        String name,
        List<String> capabilities,
        int maxConcurrent,
        Map<String, String> labels,
        Path dataDir,
        List<String> allowShell,
        List<String> allowHttp,
        Map<String, String> categories,
        String fallback,
        String httpHost,
        int httpPort,
        Duration heartbeatInterval,
        Duration reconnectMax,
        int outboxCapacity,
        Duration shutdownGrace,
        Path caFile,
        Path tlsCert,
        Path tlsKey,
        Path plugins,
        String executeToken,
        Map<String, Map<String, ExecutorConfig.Setting>> executorSettings,
        String hostCommand,
        String metricsToken,
        BiddingPolicy bidding,
        Duration receiptBatch,
        MachineOffer offer) {

    /** A configuration offering what was detected, with the default tool list (the argument list before it). */
    public AgentConfig(
            String coordinator,
            String token,
            String name,
            List<String> capabilities,
            int maxConcurrent,
            Map<String, String> labels,
            Path dataDir,
            List<String> allowShell,
            List<String> allowHttp,
            Map<String, String> categories,
            String fallback,
            String httpHost,
            int httpPort,
            Duration heartbeatInterval,
            Duration reconnectMax,
            int outboxCapacity,
            Duration shutdownGrace,
            Path caFile,
            Path tlsCert,
            Path tlsKey,
            Path plugins,
            String executeToken,
            Map<String, Map<String, ExecutorConfig.Setting>> executorSettings,
            String hostCommand,
            String metricsToken,
            BiddingPolicy bidding,
            Duration receiptBatch) {
        this(
                coordinator,
                token,
                name,
                capabilities,
                maxConcurrent,
                labels,
                dataDir,
                allowShell,
                allowHttp,
                categories,
                fallback,
                httpHost,
                httpPort,
                heartbeatInterval,
                reconnectMax,
                outboxCapacity,
                shutdownGrace,
                caFile,
                tlsCert,
                tlsKey,
                plugins,
                executeToken,
                executorSettings,
                hostCommand,
                metricsToken,
                bidding,
                receiptBatch,
                MachineOffer.DEFAULT);
    }

    public AgentConfig {
        offer = offer == null ? MachineOffer.DEFAULT : offer;
        bidding = bidding == null ? BiddingPolicy.DEFAULT : bidding;
        capabilities = List.copyOf(capabilities);
        executeToken = executeToken == null ? "" : executeToken;
        metricsToken = metricsToken == null ? "" : metricsToken;
        Map<String, Map<String, ExecutorConfig.Setting>> settings = new TreeMap<>();
        executorSettings.forEach((executor, values) -> settings.put(executor, Map.copyOf(values)));
        executorSettings = Map.copyOf(settings);
        labels = Map.copyOf(labels);
        allowShell = List.copyOf(allowShell);
        allowHttp = List.copyOf(allowHttp);
        categories = Map.copyOf(categories);
    }

    /** A configuration without a metrics token, bidding policy or receipt batching (the argument list before them). */
    public AgentConfig(
            String coordinator,
            String token,
            String name,
            List<String> capabilities,
            int maxConcurrent,
            Map<String, String> labels,
            Path dataDir,
            List<String> allowShell,
            List<String> allowHttp,
            Map<String, String> categories,
            String fallback,
            String httpHost,
            int httpPort,
            Duration heartbeatInterval,
            Duration reconnectMax,
            int outboxCapacity,
            Duration shutdownGrace,
            Path caFile,
            Path tlsCert,
            Path tlsKey,
            Path plugins,
            String executeToken,
            Map<String, Map<String, ExecutorConfig.Setting>> executorSettings,
            String hostCommand) {
        this(
                coordinator,
                token,
                name,
                capabilities,
                maxConcurrent,
                labels,
                dataDir,
                allowShell,
                allowHttp,
                categories,
                fallback,
                httpHost,
                httpPort,
                heartbeatInterval,
                reconnectMax,
                outboxCapacity,
                shutdownGrace,
                caFile,
                tlsCert,
                tlsKey,
                plugins,
                executeToken,
                executorSettings,
                hostCommand,
                "",
                BiddingPolicy.DEFAULT,
                Duration.ofMillis(10));
    }

    /** A builder with every default filled in; only {@code coordinator} and {@code token} are needed to link. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to change a few. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.coordinator = coordinator;
        b.token = token;
        b.name = name;
        b.capabilities = new ArrayList<>(capabilities);
        b.maxConcurrent = maxConcurrent;
        b.labels = new LinkedHashMap<>(labels);
        b.dataDir = dataDir;
        b.allowShell = new ArrayList<>(allowShell);
        b.allowHttp = new ArrayList<>(allowHttp);
        b.categories = new LinkedHashMap<>(categories);
        b.fallback = fallback;
        b.httpHost = httpHost;
        b.httpPort = httpPort;
        b.heartbeatInterval = heartbeatInterval;
        b.reconnectMax = reconnectMax;
        b.outboxCapacity = outboxCapacity;
        b.shutdownGrace = shutdownGrace;
        b.caFile = caFile;
        b.tlsCert = tlsCert;
        b.tlsKey = tlsKey;
        b.plugins = plugins;
        b.executeToken = executeToken;
        executorSettings.forEach((executor, values) -> b.executorSettings.put(executor, new TreeMap<>(values)));
        b.hostCommand = hostCommand;
        b.metricsToken = metricsToken;
        b.bidding = bidding;
        b.receiptBatch = receiptBatch;
        b.offer = offer;
        return b;
    }

    /** Mutable companion of {@link AgentConfig}; {@link #build()} validates. */
    public static final class Builder {
        private String coordinator;
        private String token = "";
        private String name = Defaults.hostName();
        private List<String> capabilities = new ArrayList<>();
        private int maxConcurrent = Runtime.getRuntime().availableProcessors() * 4;
        private Map<String, String> labels = new LinkedHashMap<>();
        private Path dataDir = Path.of(".mesh-agent");
        private List<String> allowShell = new ArrayList<>();
        private List<String> allowHttp = new ArrayList<>();
        private Map<String, String> categories = new LinkedHashMap<>();
        private String fallback;
        private String httpHost = "127.0.0.1";
        private int httpPort = 0;
        private Duration heartbeatInterval = Duration.ofSeconds(5);
        private Duration reconnectMax = Duration.ofSeconds(5);
        private int outboxCapacity = 10_000;
        private Duration shutdownGrace = Duration.ofSeconds(5);
        private Duration receiptBatch = Duration.ofMillis(10);
        private MachineOffer offer = MachineOffer.DEFAULT;
        private Path caFile;
        private Path tlsCert;
        private Path tlsKey;
        private Path plugins;
        private String executeToken = "";
        private String metricsToken = "";
        private final Map<String, Map<String, ExecutorConfig.Setting>> executorSettings = new TreeMap<>();
        private String hostCommand = "mesh agent";
        private BiddingPolicy bidding = BiddingPolicy.DEFAULT;

        private Builder() {}

        public Builder plugins(Path v) {
            plugins = v;
            return this;
        }

        public Builder metricsToken(String v) {
            metricsToken = v;
            return this;
        }

        public Builder executeToken(String v) {
            executeToken = v;
            return this;
        }

        /** Sets {@code key} of executor {@code executor}; {@code source} says where it came from, for messages. */
        public Builder executorSetting(String executor, String key, String value, String source) {
            executorSettings
                    .computeIfAbsent(executor, e -> new TreeMap<>())
                    .put(key, new ExecutorConfig.Setting(value, source));
            return this;
        }

        public Builder hostCommand(String v) {
            hostCommand = v;
            return this;
        }

        public Builder caFile(Path v) {
            caFile = v;
            return this;
        }

        public Builder tlsCert(Path v) {
            tlsCert = v;
            return this;
        }

        public Builder tlsKey(Path v) {
            tlsKey = v;
            return this;
        }

        public Builder coordinator(String v) {
            coordinator = v;
            return this;
        }

        public Builder token(String v) {
            token = v;
            return this;
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder capabilities(List<String> v) {
            capabilities = new ArrayList<>(v);
            return this;
        }

        public Builder maxConcurrent(int v) {
            maxConcurrent = v;
            return this;
        }

        public Builder labels(Map<String, String> v) {
            labels = new LinkedHashMap<>(v);
            return this;
        }

        public Builder dataDir(Path v) {
            dataDir = v;
            return this;
        }

        public Builder allowShell(List<String> v) {
            allowShell = new ArrayList<>(v);
            return this;
        }

        public Builder allowHttp(List<String> v) {
            allowHttp = new ArrayList<>(v);
            return this;
        }

        public Builder categories(Map<String, String> v) {
            categories = new LinkedHashMap<>(v);
            return this;
        }

        public Builder fallback(String v) {
            fallback = v;
            return this;
        }

        public Builder httpHost(String v) {
            httpHost = v;
            return this;
        }

        public Builder httpPort(int v) {
            httpPort = v;
            return this;
        }

        public Builder heartbeatInterval(Duration v) {
            heartbeatInterval = v;
            return this;
        }

        public Builder reconnectMax(Duration v) {
            reconnectMax = v;
            return this;
        }

        public Builder outboxCapacity(int v) {
            outboxCapacity = v;
            return this;
        }

        public Builder shutdownGrace(Duration v) {
            shutdownGrace = v;
            return this;
        }

        /** Shortest time between two receipt signatures while results keep coming (0: one per frame). */
        public Builder receiptBatch(Duration v) {
            receiptBatch = v;
            return this;
        }

        /** The validated configuration, or an {@link InvalidConfigException} naming the first bad setting. */
        public AgentConfig build() {
            return ConfigValidator.validate(new AgentConfig(
                    coordinator,
                    token,
                    name,
                    capabilities,
                    maxConcurrent,
                    labels,
                    dataDir,
                    allowShell,
                    allowHttp,
                    categories,
                    fallback,
                    httpHost,
                    httpPort,
                    heartbeatInterval,
                    reconnectMax,
                    outboxCapacity,
                    shutdownGrace,
                    caFile,
                    tlsCert,
                    tlsKey,
                    plugins,
                    executeToken,
                    executorSettings,
                    hostCommand,
                    metricsToken,
                    bidding,
                    receiptBatch,
                    offer));
        }

        /** The tools to look for and the caps on the resources offered. */
        public Builder offer(MachineOffer v) {
            offer = v;
            return this;
        }

        public Builder bidding(BiddingPolicy v) {
            bidding = v;
            return this;
        }
    }
}
