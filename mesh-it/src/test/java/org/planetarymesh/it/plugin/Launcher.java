package org.planetarymesh.it.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.planetarymesh.it.MeshProcess;

/**
 * A byte-for-byte copy of the {@code ./mesh} launcher beside the built jar, in a tree of its own: run as users run it,
 * without rebuilding because sources in this checkout are newer than the jar.
 */
final class Launcher {
    private Launcher() {}

    /** The launcher script in {@code tree}, ready to run. */
    static Path copyInto(Path tree) {
        try {
            Path root = MeshProcess.root();
            Files.createDirectories(tree.resolve(".mvn"));
            Files.createDirectories(tree.resolve("mesh-cli/target"));
            Files.copy(root.resolve("mesh"), tree.resolve("mesh"));
            Files.copy(root.resolve(".mvn/find-java.sh"), tree.resolve(".mvn/find-java.sh"));
            Files.createSymbolicLink(tree.resolve("mesh-cli/target/mesh.jar"), MeshProcess.jar());
            return tree.resolve("mesh");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
