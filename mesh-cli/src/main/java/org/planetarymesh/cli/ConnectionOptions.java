package org.planetarymesh.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.planetarymesh.client.MeshClient;
import picocli.CommandLine.Option;

/**
 * Where the coordinator is and which token to show it, shared by every command that talks to one. Defaults let the
 * newcomer type nothing: {@code MESH_COORDINATOR} and {@code MESH_TOKEN}, else the local {@code mesh up} at
 * {@code http://localhost:7070} with the admin token it wrote to {@code ./.mesh/admin.token}.
 */
public final class ConnectionOptions {

    /** Where {@code mesh up} keeps its admin token by default, relative to the working directory. */
    public static final Path LOCAL_TOKEN_FILE = Path.of(".mesh", "admin.token");

    @Option(
            names = "--coordinator",
            paramLabel = "URL",
            defaultValue = "${env:MESH_COORDINATOR:-http://localhost:7070}",
            description = "Coordinator URL, or :PORT / HOST:PORT (env MESH_COORDINATOR; default: ${DEFAULT-VALUE}).")
    String coordinator;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            defaultValue = "${env:MESH_TOKEN}",
            description = "API token (env MESH_TOKEN; default: the token in ./.mesh/admin.token).")
    String token;

    @Option(
            names = "--ca-file",
            paramLabel = "PEM",
            defaultValue = "${env:MESH_CA_FILE}",
            description = "CA certificate(s) to trust for an https coordinator (env MESH_CA_FILE).")
    Path caFile;

    /** The token to use: the option or env var, else the local data dir's file, else null. */
    public String token() {
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        try {
            return Files.isReadable(LOCAL_TOKEN_FILE)
                    ? Files.readString(LOCAL_TOKEN_FILE).strip()
                    : null;
        } catch (IOException e) {
            return null;
        }
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
        org.planetarymesh.client.MeshClientOptions options =
                org.planetarymesh.client.MeshClientOptions.of(coordinator, token());
        return MeshClient.connect(caFile == null ? options : options.withCaFile(caFile));
    }
}
