package org.planetarymesh.it.tour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.it.MeshProcess.Result;

/**
 * The README's launcher, {@code ./mesh}, on a built tree with a plain environment: no {@code JAVA_HOME}, and whatever
 * {@code java} the system PATH has (17 on this machine). It must find a JDK 25 itself and answer {@code --help}
 * quickly. It runs a byte-for-byte copy of the script beside the built jar, so that sources other people are editing
 * in this checkout do not make it rebuild.
 */
class LauncherTest {

    private static final String PLAIN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    @TempDir
    Path tree;

    @Test
    void meshHelpWorksWithoutJavaHomeAndAnOldJavaOnThePath() throws IOException {
        Path root = MeshProcess.root();
        Files.copy(root.resolve("mesh"), tree.resolve("mesh"));
        Files.createDirectories(tree.resolve(".mvn"));
        Files.copy(root.resolve(".mvn/find-java.sh"), tree.resolve(".mvn/find-java.sh"));
        Files.createDirectories(tree.resolve("mesh-cli/target"));
        Files.createSymbolicLink(tree.resolve("mesh-cli/target/mesh.jar"), MeshProcess.jar());
        assertThat(tree.resolve("mesh")).isExecutable();

        Result pathJava = plain("java -version 2>&1; true", Duration.ofSeconds(30));
        assertThat(pathJava.stdout())
                .as("the java on the plain PATH is not a 25")
                .doesNotContain("version \"25");

        long started = System.nanoTime();
        Result help = plain("./mesh --help", Duration.ofSeconds(30));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(help.exitCode()).as(help.stderr()).isZero();
        assertThat(help.stderr()).doesNotContain("Building");
        assertThat(help.stdout()).startsWith("Usage: mesh").contains("Commands:");
        for (String command : List.of("up", "submit", "jobs", "job", "logs", "cancel", "nodes", "completion")) {
            assertThat(help.stdout()).containsPattern("(?m)^\\s+" + command + "\\s");
        }
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void theFirstBuildSaysWhichModuleItIsBuilding() throws IOException {
        Path root = MeshProcess.root();
        Files.copy(root.resolve("mesh"), tree.resolve("mesh"));
        Files.createDirectories(tree.resolve(".mvn"));
        Files.copy(root.resolve(".mvn/find-java.sh"), tree.resolve(".mvn/find-java.sh"));
        // Maven itself would rebuild the whole reactor (a minute on this machine, and install into the shared ~/.m2):
        // a stand-in prints what Maven prints per module, in batch mode, and leaves the jar where the build would.
        Path mvnw = tree.resolve("mvnw");
        Files.writeString(mvnw, """
                #!/bin/sh
                echo '[INFO] Scanning for projects...'
                echo '[INFO] Building Planetary Mesh 0.1.0-SNAPSHOT                             [1/2]'
                echo '[INFO] --- compiler:3.14.1:compile (default-compile) @ mesh-core ---'
                echo '[INFO] Building Planetary Mesh command line (the runnable jar) 0.1.0-SNAPSHOT [2/2]'
                mkdir -p mesh-cli/target && ln -sf '%s' mesh-cli/target/mesh.jar
                echo '[INFO] BUILD SUCCESS'
                """.formatted(MeshProcess.jar()));
        Files.setPosixFilePermissions(mvnw, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        Result help = plain("./mesh --help", Duration.ofSeconds(60));

        assertThat(help.exitCode()).as(help.stderr()).isZero();
        assertThat(help.stderr().lines())
                .containsSubsequence(
                        "Building Planetary Mesh (first run, or sources changed; about a minute)...",
                        "  [1/2] Planetary Mesh",
                        "  [2/2] Planetary Mesh command line (the runnable jar)")
                .noneMatch(line -> line.contains("compiler:") || line.contains("BUILD SUCCESS"));
        assertThat(help.stdout()).startsWith("Usage: mesh");
    }

    @Test
    void completionWorksForDotSlashMesh() throws IOException {
        Path root = MeshProcess.root();
        Files.copy(root.resolve("mesh"), tree.resolve("mesh"));
        Files.createDirectories(tree.resolve(".mvn"));
        Files.copy(root.resolve(".mvn/find-java.sh"), tree.resolve(".mvn/find-java.sh"));
        Files.createDirectories(tree.resolve("mesh-cli/target"));
        Files.createSymbolicLink(tree.resolve("mesh-cli/target/mesh.jar"), MeshProcess.jar());

        Result completed = plain(
                "source <(./mesh completion) && complete -p ./mesh mesh"
                        + " && COMP_WORDS=(./mesh su) && COMP_CWORD=1 && COMP_LINE='./mesh su' && COMP_POINT=9"
                        + " && _complete_mesh && echo \"offered: ${COMPREPLY[*]}\"",
                Duration.ofSeconds(30));

        assertThat(completed.exitCode()).as(completed.stderr()).isZero();
        assertThat(completed.stdout())
                .containsPattern("(?m)^complete .*-F _complete_mesh.* \\./mesh$")
                .contains("offered: submit");
    }

    @Test
    void clientCommandsTrainTheirOwnAotCacheOnceAndRunFromIt() throws IOException {
        Path root = MeshProcess.root();
        Files.copy(root.resolve("mesh"), tree.resolve("mesh"));
        Files.createDirectories(tree.resolve(".mvn"));
        Files.copy(root.resolve(".mvn/find-java.sh"), tree.resolve(".mvn/find-java.sh"));
        Files.createDirectories(tree.resolve("mesh-cli/target"));
        Files.createSymbolicLink(tree.resolve("mesh-cli/target/mesh.jar"), MeshProcess.jar());
        try (LocalMesh mesh = new LocalMesh(tree.resolve("work"))) {
            mesh.start();
            String jobs = "MESH_COORDINATOR=" + mesh.url() + " MESH_TOKEN=" + mesh.token() + " ./mesh jobs";

            Result first = plain(jobs, Duration.ofSeconds(120));
            assertThat(first.exitCode()).as(first.stderr()).isZero();
            assertThat(first.stderr()).contains("Training the CLI's AOT cache for this build");
            assertThat(tree.resolve("mesh-cli/target/mesh-cli.aot")).isNotEmptyFile();

            Result second = plain(jobs, Duration.ofSeconds(30));
            assertThat(second.exitCode()).as(second.stderr()).isZero();
            assertThat(second.stderr()).as("the cache is made once per build").isEmpty();
            assertThat(second.stdout()).isEqualTo(first.stdout()).isEqualTo("No jobs.\n");
        }
    }

    /** {@code line} under bash with only PATH and HOME set: no JAVA_HOME, no MESH_*. */
    private Result plain(String line, Duration timeout) {
        return MeshProcess.exec(
                tree,
                Map.of(),
                timeout,
                List.of(
                        "env",
                        "-i",
                        "PATH=" + PLAIN_PATH,
                        "HOME=" + System.getProperty("user.home"),
                        "bash",
                        "-c",
                        line));
    }
}
