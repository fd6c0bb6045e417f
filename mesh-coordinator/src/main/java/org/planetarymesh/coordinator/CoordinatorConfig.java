package org.planetarymesh.coordinator;

import java.nio.file.Path;
import java.time.Duration;
import org.planetarymesh.coordinator.auction.AuctionSettings;
import org.planetarymesh.coordinator.leadership.LeadershipSettings;
import org.planetarymesh.coordinator.retention.RetentionPolicy;
import org.planetarymesh.core.protocol.MessageCodec;

/**
 * Everything a coordinator needs to start. Build with {@link #defaults(Path)} and the {@code withX} methods; every
 * value has a safe default.
 *
 * @param host interface to bind; loopback by default so a fresh install is not exposed to the network
 * @param port HTTP port; 0 picks a free one
 * @param databaseUrl JDBC URL of PostgreSQL or SQLite; null means SQLite in {@code dataDir}
 * @param heartbeatInterval how often agents heartbeat while the mesh is small
 * @param heartbeatsPerSecond the mesh-wide heartbeat rate beyond which agents that join are told to heartbeat less
 *     often (up to 10x {@code heartbeatInterval}); their silence thresholds stretch with their interval
 * @param suspectAfter silence after which a node gets no new work (for a node told a longer interval, scaled by it)
 * @param deadAfter silence after which a node's jobs are retried elsewhere (scaled likewise), and how long a
 *     disconnected node's jobs wait for it
 * @param recoveryGrace after a restart, how long running jobs wait for their agent to reconnect and claim them
 * @param deadNodeRetention how long a node declared dead stays listed (as DEAD) in {@code GET /v1/nodes}
 * @param maxBodyBytes largest request body accepted (413 beyond)
 * @param maxBatchJobs largest {@code POST /v1/jobs/batch} (413 beyond)
 * @param maxPayloadBytes largest job payload (413 beyond)
 * @param maxSubscribersPerJob concurrent event streams on one job (429 beyond)
 * @param maxQueuedJobsPerToken unfinished jobs one API token may have submitted (429 beyond); the admin token file
 *     is exempt
 * @param maxFrameBytes largest WebSocket text frame an agent may send (the connection is closed beyond)
 * @param requireAgentKey whether every agent must prove an Ed25519 key (did:key node id); when false, agents that
 *     send no key may join under a non-did:key id (a did:key id always needs its key)
 * @param localNodes node ids (did:key) of the agents that are the coordinator's own: once such an agent has proven its
 *     key it takes scope-LOCAL jobs, and no scope-NETWORK ones. A node's own labels never make it local.
 * @param tls certificate and key to serve HTTPS/WSS with, and optionally the CA agents' client certificates must be
 *     signed by; null serves plain HTTP
 * @param auction how auctions run: windows, re-announcements, acknowledgement, best-value weights, standing offers
 * @param retention how long finished jobs stay in the store ({@link RetentionPolicy})
 * @param receipts whether an agent that proved a key must send a signed execution receipt with each result, checked
 *     before the job is COMPLETED and appended to the receipt log (push-mode and keyless nodes never do)
 * @param federation this mesh's policy on jobs other meshes hand it (see {@code federation/})
 * @param maxBlobBytes largest blob {@code POST /v1/blobs} stores (413 beyond)
 * @param leadership on PostgreSQL, how coordinators sharing the database choose a leader (lease, advertised URL)
 */
public record CoordinatorConfig(
        String host,
        int port,
        Path dataDir,
        String databaseUrl,
        Duration heartbeatInterval,
        int heartbeatsPerSecond,
        Duration suspectAfter,
        Duration deadAfter,
        Duration recoveryGrace,
        Duration deadNodeRetention,
        long maxBodyBytes,
        int maxBatchJobs,
        int maxPayloadBytes,
        int writerBatch,
        int maxSubscribersPerJob,
        int maxQueuedJobsPerToken,
        int maxFrameBytes,
        boolean requireAgentKey,
        java.util.Set<String> localNodes,
        Tls tls,
        AuctionSettings auction,
        RetentionPolicy retention,
        boolean receipts,
        long maxBlobBytes,
        org.planetarymesh.coordinator.federation.FederationSettings federation,
        LeadershipSettings leadership) {

    /**
     * A configuration refusing foreign jobs with the default leadership settings (the argument list before federation
     * and leadership were added).
     */
    public CoordinatorConfig(
            String host,
            int port,
            Path dataDir,
            String databaseUrl,
            Duration heartbeatInterval,
            int heartbeatsPerSecond,
            Duration suspectAfter,
            Duration deadAfter,
            Duration recoveryGrace,
            Duration deadNodeRetention,
            long maxBodyBytes,
            int maxBatchJobs,
            int maxPayloadBytes,
            int writerBatch,
            int maxSubscribersPerJob,
            int maxQueuedJobsPerToken,
            int maxFrameBytes,
            boolean requireAgentKey,
            java.util.Set<String> localNodes,
            Tls tls,
            AuctionSettings auction,
            RetentionPolicy retention,
            boolean receipts,
            long maxBlobBytes) {
        this(
                host,
                port,
                dataDir,
                databaseUrl,
                heartbeatInterval,
                heartbeatsPerSecond,
                suspectAfter,
                deadAfter,
                recoveryGrace,
                deadNodeRetention,
                maxBodyBytes,
                maxBatchJobs,
                maxPayloadBytes,
                writerBatch,
                maxSubscribersPerJob,
                maxQueuedJobsPerToken,
                maxFrameBytes,
                requireAgentKey,
                localNodes,
                tls,
                auction,
                retention,
                receipts,
                maxBlobBytes,
                null,
                null);
    }

    /** Default for {@link #maxBlobBytes}: 16 MiB, room for a large WebAssembly module. */
    public static final long DEFAULT_MAX_BLOB_BYTES = 16L << 20;

    public CoordinatorConfig {
        leadership = leadership == null ? LeadershipSettings.DEFAULTS : leadership;
        maxBlobBytes = maxBlobBytes <= 0 ? DEFAULT_MAX_BLOB_BYTES : maxBlobBytes;
        retention = retention == null ? RetentionPolicy.DEFAULTS : retention;
        localNodes = localNodes == null ? java.util.Set.of() : java.util.Set.copyOf(localNodes);
        auction = auction == null ? AuctionSettings.DEFAULTS : auction;
        federation =
                federation == null ? org.planetarymesh.coordinator.federation.FederationSettings.DEFAULTS : federation;
    }

    /** A configuration with the default blob limit (the argument list before blobs were added). */
    public CoordinatorConfig(
            String host,
            int port,
            Path dataDir,
            String databaseUrl,
            Duration heartbeatInterval,
            int heartbeatsPerSecond,
            Duration suspectAfter,
            Duration deadAfter,
            Duration recoveryGrace,
            Duration deadNodeRetention,
            long maxBodyBytes,
            int maxBatchJobs,
            int maxPayloadBytes,
            int writerBatch,
            int maxSubscribersPerJob,
            int maxQueuedJobsPerToken,
            int maxFrameBytes,
            boolean requireAgentKey,
            java.util.Set<String> localNodes,
            Tls tls,
            AuctionSettings auction,
            RetentionPolicy retention) {
        this(
                host,
                port,
                dataDir,
                databaseUrl,
                heartbeatInterval,
                heartbeatsPerSecond,
                suspectAfter,
                deadAfter,
                recoveryGrace,
                deadNodeRetention,
                maxBodyBytes,
                maxBatchJobs,
                maxPayloadBytes,
                writerBatch,
                maxSubscribersPerJob,
                maxQueuedJobsPerToken,
                maxFrameBytes,
                requireAgentKey,
                localNodes,
                tls,
                auction,
                retention,
                false,
                DEFAULT_MAX_BLOB_BYTES);
    }

    /**
     * TLS for the coordinator's HTTP and WebSocket endpoint: PEM certificate chain and PKCS#8 private key, and
     * optionally a PEM CA bundle that client certificates must chain to (mTLS; then every client must present one).
     */
    public record Tls(Path certFile, Path keyFile, Path clientCaFile) {}

    public static CoordinatorConfig defaults(Path dataDir) {
        return new CoordinatorConfig(
                "127.0.0.1",
                7070,
                dataDir,
                null,
                Duration.ofSeconds(1),
                100,
                Duration.ofMillis(2_500),
                Duration.ofSeconds(4),
                Duration.ofSeconds(10),
                Duration.ofHours(1),
                64L << 20,
                10_000,
                1 << 20,
                8_192,
                64,
                100_000,
                MessageCodec.DEFAULT_MAX_FRAME_BYTES,
                true,
                java.util.Set.of(),
                null,
                AuctionSettings.DEFAULTS,
                RetentionPolicy.DEFAULTS,
                false,
                DEFAULT_MAX_BLOB_BYTES,
                org.planetarymesh.coordinator.federation.FederationSettings.DEFAULTS,
                LeadershipSettings.DEFAULTS);
    }

    /** Several coordinators on one PostgreSQL database: the lease and the URL this one is reached at. */
    public CoordinatorConfig withLeadership(LeadershipSettings value) {
        return with(f -> f.leadership = value);
    }

    public CoordinatorConfig withPort(int value) {
        return with(f -> f.port = value);
    }

    public CoordinatorConfig withHost(String value) {
        return with(f -> f.host = value);
    }

    public CoordinatorConfig withDatabaseUrl(String value) {
        return with(f -> f.databaseUrl = value);
    }

    public CoordinatorConfig withHealth(Duration interval, Duration suspect, Duration dead) {
        return with(f -> {
            f.heartbeatInterval = interval;
            f.suspectAfter = suspect;
            f.deadAfter = dead;
        });
    }

    public CoordinatorConfig withHeartbeatsPerSecond(int value) {
        return with(f -> f.heartbeatsPerSecond = value);
    }

    public CoordinatorConfig withRecoveryGrace(Duration value) {
        return with(f -> f.recoveryGrace = value);
    }

    public CoordinatorConfig withDeadNodeRetention(Duration value) {
        return with(f -> f.deadNodeRetention = value);
    }

    public CoordinatorConfig withMaxBodyBytes(long value) {
        return with(f -> f.maxBodyBytes = value);
    }

    public CoordinatorConfig withMaxBatchJobs(int value) {
        return with(f -> f.maxBatchJobs = value);
    }

    public CoordinatorConfig withMaxPayloadBytes(int value) {
        return with(f -> f.maxPayloadBytes = value);
    }

    public CoordinatorConfig withMaxSubscribersPerJob(int value) {
        return with(f -> f.maxSubscribersPerJob = value);
    }

    public CoordinatorConfig withMaxQueuedJobsPerToken(int value) {
        return with(f -> f.maxQueuedJobsPerToken = value);
    }

    public CoordinatorConfig withMaxFrameBytes(int value) {
        return with(f -> f.maxFrameBytes = value);
    }

    public CoordinatorConfig withRequireAgentKey(boolean value) {
        return with(f -> f.requireAgentKey = value);
    }

    public CoordinatorConfig withLocalNodes(java.util.Set<String> value) {
        return with(f -> f.localNodes = value);
    }

    public CoordinatorConfig withTls(Tls value) {
        return with(f -> f.tls = value);
    }

    public CoordinatorConfig withAuction(AuctionSettings value) {
        return with(f -> f.auction = value);
    }

    public CoordinatorConfig withRetention(RetentionPolicy value) {
        return with(f -> f.retention = value);
    }

    /**
     * Whether keyed agents must send a signed execution receipt with every result (off by default until the cost is
     * shown within 10% of throughput: ADR 0105).
     */
    public CoordinatorConfig withReceipts(boolean value) {
        return with(f -> f.receipts = value);
    }

    public CoordinatorConfig withMaxBlobBytes(long value) {
        return with(f -> f.maxBlobBytes = value);
    }

    /** This mesh's policy on jobs handed over by other meshes. */
    public CoordinatorConfig withFederation(org.planetarymesh.coordinator.federation.FederationSettings value) {
        return with(f -> f.federation = value);
    }

    /** A copy with {@code change} applied: each {@code withX} above names only the field it changes. */
    private CoordinatorConfig with(java.util.function.Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return f.build();
    }

    /** The components as mutable fields, so a copy with one change does not spell out all of them. */
    private static final class Fields {
        String host;
        int port;
        Path dataDir;
        String databaseUrl;
        Duration heartbeatInterval;
        int heartbeatsPerSecond;
        Duration suspectAfter;
        Duration deadAfter;
        Duration recoveryGrace;
        Duration deadNodeRetention;
        long maxBodyBytes;
        int maxBatchJobs;
        int maxPayloadBytes;
        int writerBatch;
        int maxSubscribersPerJob;
        int maxQueuedJobsPerToken;
        int maxFrameBytes;
        boolean requireAgentKey;
        java.util.Set<String> localNodes;
        Tls tls;
        AuctionSettings auction;
        RetentionPolicy retention;
        boolean receipts;
        long maxBlobBytes;
        org.planetarymesh.coordinator.federation.FederationSettings federation;
        LeadershipSettings leadership;

        Fields(CoordinatorConfig c) {
            host = c.host;
            port = c.port;
            dataDir = c.dataDir;
            databaseUrl = c.databaseUrl;
            heartbeatInterval = c.heartbeatInterval;
            heartbeatsPerSecond = c.heartbeatsPerSecond;
            suspectAfter = c.suspectAfter;
            deadAfter = c.deadAfter;
            recoveryGrace = c.recoveryGrace;
            deadNodeRetention = c.deadNodeRetention;
            maxBodyBytes = c.maxBodyBytes;
            maxBatchJobs = c.maxBatchJobs;
            maxPayloadBytes = c.maxPayloadBytes;
            writerBatch = c.writerBatch;
            maxSubscribersPerJob = c.maxSubscribersPerJob;
            maxQueuedJobsPerToken = c.maxQueuedJobsPerToken;
            maxFrameBytes = c.maxFrameBytes;
            requireAgentKey = c.requireAgentKey;
            localNodes = c.localNodes;
            tls = c.tls;
            auction = c.auction;
            retention = c.retention;
            receipts = c.receipts;
            maxBlobBytes = c.maxBlobBytes;
            federation = c.federation;
            leadership = c.leadership;
        }

        CoordinatorConfig build() {
            return new CoordinatorConfig(
                    host,
                    port,
                    dataDir,
                    databaseUrl,
                    heartbeatInterval,
                    heartbeatsPerSecond,
                    suspectAfter,
                    deadAfter,
                    recoveryGrace,
                    deadNodeRetention,
                    maxBodyBytes,
                    maxBatchJobs,
                    maxPayloadBytes,
                    writerBatch,
                    maxSubscribersPerJob,
                    maxQueuedJobsPerToken,
                    maxFrameBytes,
                    requireAgentKey,
                    localNodes,
                    tls,
                    auction,
                    retention,
                    receipts,
                    maxBlobBytes,
                    federation,
                    leadership);
        }
    }
}
