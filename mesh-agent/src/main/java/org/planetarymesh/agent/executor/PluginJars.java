package org.planetarymesh.agent.executor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.planetarymesh.agent.config.InvalidConfigException;

/**
 * The class loader over the jars of the plugins directory. {@code java -jar} ignores the class path, so the launcher
 * cannot hand plugins to the agent that way; the agent loads them itself. The loader's parent is the agent's own, so a
 * plugin sees the executor API and Jackson of the agent it runs in.
 */
public final class PluginJars {
    private PluginJars() {}

    /** The {@code *.jar} files directly in {@code dir}, sorted by name. */
    public static List<Path> in(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new InvalidConfigException("plugins", "plugins: cannot list '" + dir + "': " + e.getMessage());
        }
    }

    /** A loader over the jars in {@code dir} (none if {@code dir} is null), child of {@code parent}. */
    public static ClassLoader loader(Path dir, ClassLoader parent) {
        if (dir == null) {
            return parent;
        }
        URL[] urls = in(dir).stream().map(PluginJars::url).toArray(URL[]::new);
        return new URLClassLoader("mesh-plugins", urls, parent);
    }

    /** Closes a loader made by {@link #loader} (its jar files); any other loader is left alone. */
    public static void close(ClassLoader loader) {
        if (loader instanceof URLClassLoader plugins && "mesh-plugins".equals(plugins.getName())) {
            try {
                plugins.close();
            } catch (IOException e) {
                // Only open jar files are released here; the process keeps running either way.
            }
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }
}
