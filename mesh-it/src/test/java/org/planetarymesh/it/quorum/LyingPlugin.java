package org.planetarymesh.it.quorum;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.planetarymesh.executor.Executor;

/**
 * Packs {@link DoublingExecutor}, as compiled with these tests, into a plugin jar (its class and the {@code
 * ServiceLoader} file) in a plugins directory an agent loads with {@code --plugins}.
 */
final class LyingPlugin {

    private LyingPlugin() {}

    /** A plugins directory under {@code dir} holding the jar. */
    static Path pluginsDir(Path dir) throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        String entry = DoublingExecutor.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(plugins.resolve("doubling.jar")));
                InputStream classFile = DoublingExecutor.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            classFile.transferTo(out);
            out.closeEntry();
            out.putNextEntry(new JarEntry("META-INF/services/" + Executor.class.getName()));
            out.write((DoublingExecutor.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return plugins;
    }
}
