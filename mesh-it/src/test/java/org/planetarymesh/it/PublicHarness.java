package org.planetarymesh.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Public access to the package-private {@link MeshProcess} harness for the end-to-end tests in sub-packages
 * ({@code it.tour}, {@code it.sdk}): it only delegates, so every test still starts its processes the one way.
 */
public final class PublicHarness {

    private PublicHarness() {}

    /** A started {@code mesh} process (see {@link MeshProcess}). */
    public static final class Proc implements AutoCloseable {
        private final MeshProcess process;

        private Proc(MeshProcess process) {
            this.process = process;
        }

        public String awaitLog(String regex, Duration timeout) {
            return process.awaitLog(regex, timeout);
        }

        public String log() {
            return process.log();
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        public void kill9() {
            process.kill9();
        }

        public void interrupt() {
            process.interrupt();
        }

        public int waitFor(Duration timeout) {
            return process.waitFor(timeout);
        }

        @Override
        public void close() {
            process.close();
        }
    }

    /** The exit code and output of a finished command. */
    public record Result(int exitCode, String stdout, String stderr) {}

    public static Proc start(String name, Path workDir, Map<String, String> env, String... args) {
        return new Proc(MeshProcess.start(name, workDir, env, args));
    }

    public static Result run(Path workDir, Map<String, String> env, Duration timeout, String... args) {
        return of(MeshProcess.run(workDir, env, timeout, args));
    }

    public static Result exec(Path workDir, Map<String, String> env, Duration timeout, List<String> command) {
        return of(MeshProcess.exec(workDir, env, timeout, command));
    }

    public static Path jar() {
        return MeshProcess.jar();
    }

    public static Path root() {
        return MeshProcess.root();
    }

    public static String java() {
        return MeshProcess.java();
    }

    public static int freePort() {
        return MeshCluster.freePort();
    }

    private static Result of(MeshProcess.Result result) {
        return new Result(result.exitCode(), result.stdout(), result.stderr());
    }
}
