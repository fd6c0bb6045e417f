package org.planetarymesh.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.planetarymesh.it.MeshProcess;

/** The product jar holds the product: the benchmark harness and JMH live in mesh-bench.jar only. */
class ProductJarTest {

    @Test
    void meshJarCarriesNeitherTheBenchNorJmh() throws IOException {
        try (JarFile jar = new JarFile(MeshProcess.jar().toFile())) {
            assertThat(jar.stream().map(JarEntry::getName))
                    .as("classes of the product")
                    .anyMatch(name -> name.startsWith("org/planetarymesh/cli/"))
                    .noneMatch(name -> name.contains("/bench/"))
                    .noneMatch(name -> name.toLowerCase(Locale.ROOT).contains("jmh"));
        }
    }
}
