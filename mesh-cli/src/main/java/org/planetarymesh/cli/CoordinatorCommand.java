package org.planetarymesh.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.planetarymesh.cli.config.CoordinatorSettings;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.CoordinatorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh coordinator}: runs a coordinator until interrupted. Settings come from {@code coordinator.toml}
 * ({@code --config} or {@code MESH_CONFIG}), then {@code MESH_*} environment variables, then these flags; flags win.
 * Every setting is in docs/CONFIGURATION.md; the flags are the common ones.
 */
@Command(
        name = "coordinator",
        description = "Run a coordinator (REST API, scheduler, agent gateway). Settings: flags, then MESH_* env vars,"
                + " then --config FILE (docs/CONFIGURATION.md).")
public final class CoordinatorCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "A coordinator.toml (env MESH_CONFIG).")
    String config;

    @Option(names = "--port", description = "HTTP port (env MESH_PORT; default: 7070).")
    String port;

    @Option(names = "--host", description = "Interface to bind (env MESH_HOST; default: 127.0.0.1).")
    String host;

    @Option(
            names = "--data-dir",
            description = "Where the SQLite store and admin token live (env MESH_DATA_DIR; default: .mesh).")
    String dataDir;

    @Option(
            names = "--database-url",
            description = "PostgreSQL (jdbc:postgresql://... or postgresql://...) "
                    + "or SQLite (jdbc:sqlite:FILE) instead of SQLite in the data dir (env MESH_DATABASE_URL).")
    String databaseUrl;

    @Option(
            names = "--tls-cert",
            paramLabel = "PEM",
            description = "Serve HTTPS/WSS with this certificate chain (env MESH_TLS_CERT).")
    String tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "PEM",
            description = "The PKCS#8 private key of --tls-cert (env MESH_TLS_KEY).")
    String tlsKey;

    @Option(
            names = "--tls-client-ca",
            paramLabel = "PEM",
            description = "Require agents to present a client certificate signed by this CA, mTLS (env"
                    + " MESH_TLS_CLIENT_CA).")
    String tlsClientCa;

    @Option(
            names = "--advertise-url",
            paramLabel = "URL",
            description = "With several coordinators on PostgreSQL: the URL others reach this one at (env"
                    + " MESH_ADVERTISE_URL; default: the URL it listens on).")
    String advertiseUrl;

    @Option(names = "--log-format", paramLabel = "text|json", description = "Log lines as text (default) or JSON.")
    String logFormat;

    @Option(
            names = "--local-node",
            paramLabel = "DID",
            description = "A node id (did:key) whose agent is this coordinator's own and takes scope-LOCAL jobs once it"
                    + " proves its key (repeatable). An agent's own labels never make it local.")
    java.util.List<String> localNodes = new java.util.ArrayList<>();

    @Option(
            names = "--accept-foreign-jobs",
            paramLabel = "true|false",
            description = "Accept jobs other meshes hand over through a peer link (default false).")
    String acceptForeignJobs;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("config", config);
        flags.put("port", port);
        flags.put("host", host);
        flags.put("data_dir", dataDir);
        flags.put("database_url", databaseUrl);
        flags.put("tls_cert", tlsCert);
        flags.put("tls_key", tlsKey);
        flags.put("tls_client_ca", tlsClientCa);
        flags.put("log_format", logFormat);
        flags.put("advertise_url", advertiseUrl);
        flags.put("local_nodes", localNodes.isEmpty() ? null : String.join(",", localNodes));
        flags.put("federation_accept_foreign_jobs", acceptForeignJobs);
        CoordinatorConfig coordinatorConfig = CoordinatorSettings.loadForProcess(flags);
        Coordinator coordinator = Coordinator.start(coordinatorConfig);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            coordinator.close();
            stopped.countDown();
        }));
        System.out.println("Coordinator listening on " + coordinator.url());
        System.out.println("Admin token: " + coordinator.adminTokenFile().toAbsolutePath());
        stopped.await();
        return 0;
    }
}
