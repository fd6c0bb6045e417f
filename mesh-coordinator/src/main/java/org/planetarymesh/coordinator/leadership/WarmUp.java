package org.planetarymesh.coordinator.leadership;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the classes a leader needs while this coordinator waits as a standby, so that a takeover does not spend its
 * seconds reading and verifying thousands of classes in a cold JVM (measured: 4-6 s of a takeover on a loaded 2-core
 * machine went to starting the coordinator's parts). Classes are loaded and linked, never initialised: no static
 * initialiser runs before the coordinator starts for real. Runs on one low-priority thread; failures are ignored.
 */
final class WarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

    /** The packages whose classes a leader's start touches: the mesh's own, and the HTTP, JSON and metrics stack. */
    private static final List<String> PREFIXES = List.of(
            "org/planetarymesh/coordinator/",
            "org/planetarymesh/core/",
            "org/planetarymesh/store/",
            "io/javalin/",
            "org/eclipse/jetty/websocket/",
            "org/eclipse/jetty/ee10/websocket/",
            "com/fasterxml/jackson/databind/",
            "io/micrometer/");

    private WarmUp() {}

    /** Starts loading in the background; returns at once. */
    static void start() {
        Thread t = Thread.ofPlatform()
                .name("mesh-standby-warm-up")
                .daemon(true)
                .priority(Thread.MIN_PRIORITY)
                .unstarted(WarmUp::run);
        t.start();
    }

    private static void run() {
        Path jar = codeSource();
        if (jar == null || !Files.isRegularFile(jar)) {
            return; // classes from directories (tests): nothing worth warming
        }
        ClassLoader loader = WarmUp.class.getClassLoader();
        long started = System.nanoTime();
        int loaded = 0;
        try (JarFile file = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                if (name.endsWith(".class") && !name.contains("module-info") && wanted(name)) {
                    try {
                        Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                        loaded++;
                    } catch (Throwable e) {
                        // an optional dependency is missing, or the class cannot load here: it is not needed
                    }
                }
            }
        } catch (IOException e) {
            return;
        }
        LOG.debug("standby warm-up: {} classes in {} ms", loaded, (System.nanoTime() - started) / 1_000_000);
    }

    private static boolean wanted(String name) {
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static Path codeSource() {
        try {
            var source = WarmUp.class.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
