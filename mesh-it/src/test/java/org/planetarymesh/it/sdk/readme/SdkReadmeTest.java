package org.planetarymesh.it.sdk.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.it.MeshProcess.Result;
import org.planetarymesh.it.tour.LocalMesh;

/**
 * The SDK example of README.md and mesh-client/README.md is {@link Hello}, verbatim (a test compiles it with the rest of this module), and
 * it runs: as its own JVM, against a real {@code mesh up}, configured the way the README says.
 */
class SdkReadmeTest {

    private static final Path EXAMPLE = Path.of("src/test/java/org/planetarymesh/it/sdk/readme/Hello.java");

    @TempDir
    Path dir;

    @Test
    void theReadmeShowsTheExampleVerbatim() throws IOException {
        String source = Files.readString(EXAMPLE);
        String afterPackage = source.substring(source.indexOf("\n\n") + 2);
        for (String page : new String[] {"mesh-client/README.md", "README.md"}) {
            String readme = Files.readString(MeshProcess.root().resolve(page));
            Matcher block = Pattern.compile("(?s)```java\\n(import .*?)```").matcher(readme);
            assertThat(block.find())
                    .as("a java block starting with the imports in " + page)
                    .isTrue();
            assertThat(block.group(1)).as(page).isEqualTo(afterPackage);
        }
        assertThat(afterPackage.lines().filter(line -> !line.isBlank() && !line.startsWith("import")))
                .as("about ten lines of code")
                .hasSizeLessThanOrEqualTo(12);
    }

    @Test
    void theExampleRunsAgainstARealMesh() {
        try (LocalMesh mesh = new LocalMesh(dir)) {
            mesh.start();
            Result run = MeshProcess.exec(
                    dir,
                    Map.of("MESH_COORDINATOR", mesh.url(), "MESH_TOKEN", mesh.token()),
                    Duration.ofSeconds(60),
                    List.of(MeshProcess.java(), "-cp", System.getProperty("java.class.path"), Hello.class.getName()));

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdout()).isEqualTo("COMPLETED {\"hello\":\"mesh\"}" + System.lineSeparator());
        }
    }
}
