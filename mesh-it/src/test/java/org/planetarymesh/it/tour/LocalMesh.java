package org.planetarymesh.it.tour;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.it.MeshProcess.Result;

/**
 * A real {@code mesh up} process in a work dir of its own, as a newcomer runs it: state in {@code WORK/.mesh} (so the
 * CLI finds the admin token the way it would for them), on a free port that {@code MESH_COORDINATOR} points the CLI
 * at. The work dir holds a {@code ./mesh} that runs the built jar, so README command lines run there verbatim.
 */
public final class LocalMesh implements AutoCloseable {

    public static final Duration START = Duration.ofSeconds(60);

    private final Path workDir;
    private final int port;
    private final String dataDir;
    private final Map<String, String> env;
    private MeshProcess up;
    private int starts;

    public LocalMesh(Path workDir) {
        this(workDir, ".mesh", true);
    }

    private LocalMesh(Path workDir, String dataDir, boolean coordinatorByEnv) {
        this.workDir = workDir;
        this.port = MeshCluster.freePort();
        this.dataDir = dataDir;
        this.env = coordinatorByEnv ? Map.of("MESH_COORDINATOR", url()) : Map.of();
        writeLauncher(workDir);
    }

    /**
     * A mesh off the newcomer's default path: a data dir elsewhere than {@code ./.mesh}, and CLI commands that get no
     * {@code MESH_*} variable from the test, so they reach this mesh only by what the user was told to type.
     */
    public static LocalMesh offDefaultPath(Path workDir, String dataDir) {
        return new LocalMesh(workDir, dataDir, false);
    }

    /** Starts (or restarts, on the same data dir and port) {@code mesh up}; waits until its agent is connected. */
    public MeshProcess start() {
        up = MeshProcess.start(
                "up-" + (++starts), workDir, Map.of(), "up", "--port", Integer.toString(port), "--data-dir", dataDir);
        up.awaitLog("connected to coordinator", START);
        return up;
    }

    public MeshProcess process() {
        return up;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path workDir() {
        return workDir;
    }

    public String token() {
        try {
            return Files.readString(workDir.resolve(dataDir).resolve("admin.token"))
                    .strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public MeshClient client() {
        return MeshClient.connect(url(), token());
    }

    /** The environment of a CLI command: the coordinator by env var, the token from {@code ./.mesh}; or nothing. */
    public Map<String, String> env() {
        return env;
    }

    /** Runs {@code line} with bash in the work dir, as a user would type it. */
    public Result bash(String line, Duration timeout) {
        return MeshProcess.exec(workDir, env(), timeout, List.of("bash", "-c", line));
    }

    /** Runs {@code mesh ARGS...} from the jar in the work dir. */
    public Result mesh(Duration timeout, String... args) {
        return MeshProcess.run(workDir, env(), timeout, args);
    }

    /** A {@code mesh} process left running (e.g. {@code submit --wait}), output in {@code WORK/NAME.log}. */
    public MeshProcess startCli(String name, String... args) {
        return MeshProcess.start(name, workDir, env(), args);
    }

    private static void writeLauncher(Path workDir) {
        try {
            Files.createDirectories(workDir);
            Path launcher = workDir.resolve("mesh");
            Files.writeString(
                    launcher,
                    "#!/bin/sh\nexec '" + MeshProcess.java() + "' --enable-native-access=ALL-UNNAMED -jar '"
                            + MeshProcess.jar() + "' \"$@\"\n");
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (up != null) {
            up.close();
        }
    }
}
