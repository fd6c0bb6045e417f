package org.planetarymesh.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.MeshClientOptions;
import picocli.CommandLine.Option;

/**
 * Where the coordinator is and which token to show it, shared by every command that talks to one. Defaults let the
 * newcomer type nothing: {@code MESH_COORDINATOR} and {@code MESH_TOKEN}, else the local {@code mesh up} at
 * {@code http://localhost:7070} with the admin token it wrote to its data dir ({@code --data-dir} /
 * {@code MESH_DATA_DIR}, default {@code ./.mesh}).
 */
public final class ConnectionOptions {

    /** Where {@code mesh up} keeps its state by default, relative to the working directory. */
    public static final Path DEFAULT_DATA_DIR = Path.of(".mesh");

    /** The admin token's file name inside a data dir. */
    public static final String TOKEN_FILE = "admin.token";

    @Option(
            names = "--coordinator",
            paramLabel = "URL",
            defaultValue = "${env:MESH_COORDINATOR:-http://localhost:7070}",
            description = "Coordinator URL, or :PORT / HOST:PORT; several comma-separated (a leader and its standbys)"
                    + " (env MESH_COORDINATOR; default: ${DEFAULT-VALUE}).")
    String coordinator;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            defaultValue = "${env:MESH_TOKEN}",
            description = "API token (env MESH_TOKEN; default: the admin token in the data dir).")
    String token;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = "${env:MESH_DATA_DIR:-.mesh}",
            description = "The data dir of a local `mesh up`, to read its admin token from "
                    + "(env MESH_DATA_DIR; default: ${DEFAULT-VALUE}).")
    Path dataDir = DEFAULT_DATA_DIR;

    @Option(
            names = "--ca-file",
            paramLabel = "PEM",
            defaultValue = "${env:MESH_CA_FILE}",
            description = "CA certificate(s) to trust for an https coordinator (env MESH_CA_FILE).")
    Path caFile;

    /** The token to use: the option or env var, else the data dir's admin token, else null. */
    public String token() {
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        Path file = tokenFile();
        try {
            return Files.isReadable(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The admin token file these options would read when no token is given. */
    public Path tokenFile() {
        return dataDir.resolve(TOKEN_FILE);
    }

    /** Whether any token was found; used to explain a 401 better. */
    public boolean hasToken() {
        return token() != null;
    }

    public String coordinator() {
        return coordinator;
    }

    /** A client for these options. */
    public MeshClient connect() {
        MeshClientOptions options = MeshClientOptions.of(coordinator, token());
        return MeshClient.connect(caFile == null ? options : options.withCaFile(caFile));
    }
}
