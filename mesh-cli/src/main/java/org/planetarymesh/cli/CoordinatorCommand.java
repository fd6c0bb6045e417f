package org.planetarymesh.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.CoordinatorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mesh coordinator}: runs a coordinator until interrupted. */
@Command(name = "coordinator", description = "Run a coordinator (REST API, scheduler, agent gateway).")
public final class CoordinatorCommand implements Callable<Integer> {

    @Option(names = "--port", description = "HTTP port (default: ${DEFAULT-VALUE}).", defaultValue = "7070")
    int port;

    @Option(
            names = "--host",
            description = "Interface to bind (default: ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1")
    String host;

    @Option(
            names = "--data-dir",
            description = "Where the SQLite store and admin token live (default: ${DEFAULT-VALUE}).",
            defaultValue = ".mesh")
    Path dataDir;

    @Option(
            names = "--database-url",
            description = "PostgreSQL (jdbc:postgresql://... or postgresql://...) "
                    + "or SQLite (jdbc:sqlite:FILE) instead of SQLite in the data dir.")
    String databaseUrl;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve HTTPS/WSS with this certificate chain.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The PKCS#8 private key of --tls-cert.")
    Path tlsKey;

    @Option(
            names = "--tls-client-ca",
            paramLabel = "PEM",
            description = "Require agents to present a client certificate signed by this CA (mTLS).")
    Path tlsClientCa;

    @Option(
            names = "--local-node",
            paramLabel = "DID",
            description = "A node id (did:key) whose agent is this coordinator's own and takes scope-LOCAL jobs once it"
                    + " proves its key (repeatable). An agent's own labels never make it local.")
    java.util.List<String> localNodes = new java.util.ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        if ((tlsCert == null) != (tlsKey == null) || (tlsClientCa != null && tlsCert == null)) {
            throw new UserError("invalid_tls", "--tls-cert and --tls-key go together, and --tls-client-ca needs both");
        }
        for (String id : localNodes) {
            if (!id.startsWith("did:key:z6Mk")) {
                throw new UserError(
                        "invalid_local_node",
                        "--local-node takes an agent's node id, a did:key (did:key:z6Mk...), as 'mesh nodes' shows it;"
                                + " got '" + id + "'");
            }
        }
        CoordinatorConfig config = CoordinatorConfig.defaults(dataDir)
                .withPort(port)
                .withHost(host)
                .withDatabaseUrl(databaseUrl)
                .withLocalNodes(java.util.Set.copyOf(localNodes));
        if (tlsCert != null) {
            config = config.withTls(new CoordinatorConfig.Tls(tlsCert, tlsKey, tlsClientCa));
        }
        Coordinator coordinator = Coordinator.start(config);
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
