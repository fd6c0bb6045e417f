package org.planetarymesh.coordinator;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a coordinator needs to start. Build with {@link #defaults(Path)} and the {@code withX} methods; every
 * value has a safe default.
 *
 * @param host interface to bind; loopback by default so a fresh install is not exposed to the network
 * @param port HTTP port; 0 picks a free one
 * @param databaseUrl JDBC URL of PostgreSQL or SQLite; null means SQLite in {@code dataDir}
 * @param heartbeatInterval how often agents heartbeat
 * @param suspectAfter silence after which a node gets no new work
 * @param deadAfter silence after which a node's jobs are retried elsewhere
 * @param recoveryGrace after a restart, how long running jobs wait for their agent to reconnect and claim them
 * @param maxBodyBytes largest request body accepted
 * @param maxBatchJobs largest {@code POST /v1/jobs/batch}
 * @param maxPayloadBytes largest job payload
 */
public record CoordinatorConfig(
        String host,
        int port,
        Path dataDir,
        String databaseUrl,
        Duration heartbeatInterval,
        Duration suspectAfter,
        Duration deadAfter,
        Duration recoveryGrace,
        long maxBodyBytes,
        int maxBatchJobs,
        int maxPayloadBytes,
        int writerBatch) {

    public static CoordinatorConfig defaults(Path dataDir) {
        return new CoordinatorConfig(
                "127.0.0.1",
                7070,
                dataDir,
                null,
                Duration.ofSeconds(1),
                Duration.ofMillis(2_500),
                Duration.ofSeconds(4),
                Duration.ofSeconds(10),
                64L << 20,
                10_000,
                1 << 20,
                8_192);
    }

    public CoordinatorConfig withPort(int value) {
        return new CoordinatorConfig(
                host,
                value,
                dataDir,
                databaseUrl,
                heartbeatInterval,
                suspectAfter,
                deadAfter,
                recoveryGrace,
                maxBodyBytes,
                maxBatchJobs,
                maxPayloadBytes,
                writerBatch);
    }

    public CoordinatorConfig withHost(String value) {
        return new CoordinatorConfig(
                value,
                port,
                dataDir,
                databaseUrl,
                heartbeatInterval,
                suspectAfter,
                deadAfter,
                recoveryGrace,
                maxBodyBytes,
                maxBatchJobs,
                maxPayloadBytes,
                writerBatch);
    }

    public CoordinatorConfig withDatabaseUrl(String value) {
        return new CoordinatorConfig(
                host,
                port,
                dataDir,
                value,
                heartbeatInterval,
                suspectAfter,
                deadAfter,
                recoveryGrace,
                maxBodyBytes,
                maxBatchJobs,
                maxPayloadBytes,
                writerBatch);
    }

    public CoordinatorConfig withHealth(Duration interval, Duration suspect, Duration dead) {
        return new CoordinatorConfig(
                host,
                port,
                dataDir,
                databaseUrl,
                interval,
                suspect,
                dead,
                recoveryGrace,
                maxBodyBytes,
                maxBatchJobs,
                maxPayloadBytes,
                writerBatch);
    }

    public CoordinatorConfig withRecoveryGrace(Duration value) {
        return new CoordinatorConfig(
                host,
                port,
                dataDir,
                databaseUrl,
                heartbeatInterval,
                suspectAfter,
                deadAfter,
                value,
                maxBodyBytes,
                maxBatchJobs,
                maxPayloadBytes,
                writerBatch);
    }

    public CoordinatorConfig withMaxBodyBytes(long value) {
        return new CoordinatorConfig(
                host,
                port,
                dataDir,
                databaseUrl,
                heartbeatInterval,
                suspectAfter,
                deadAfter,
                recoveryGrace,
                value,
                maxBatchJobs,
                maxPayloadBytes,
                writerBatch);
    }
}
