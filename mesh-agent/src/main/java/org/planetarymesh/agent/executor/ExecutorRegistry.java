package org.planetarymesh.agent.executor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Collects the built-in executors and those found on a class loader with {@link ServiceLoader}. */
public final class ExecutorRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorRegistry.class);

    private ExecutorRegistry() {}

    /**
     * Built-ins first; a discovered executor whose name is taken is skipped with a warning, so a stray jar cannot
     * silently replace {@code shell} and bypass its allow-list.
     *
     * @throws IllegalStateException naming the provider if a discovered executor cannot be instantiated
     */
    public static Map<String, Executor> collect(List<Executor> builtIns, ClassLoader loader) {
        Map<String, Executor> byName = new LinkedHashMap<>();
        builtIns.forEach(e -> byName.put(e.name(), e));
        try {
            for (Executor found : ServiceLoader.load(Executor.class, loader)) {
                String name = found.name();
                if (name == null || name.isBlank()) {
                    throw new IllegalStateException(
                            "executor " + found.getClass().getName() + " has an empty name(); give it a job type name");
                }
                if (byName.putIfAbsent(name, found) != null) {
                    LOG.warn(
                            "executor {} ignored: name '{}' is already taken by {}",
                            found.getClass().getName(),
                            name,
                            byName.get(name).getClass().getName());
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException(
                    "cannot load an executor from the classpath: " + e.getMessage() + " (check its META-INF/services/"
                            + Executor.class.getName() + " entry and public no-arg constructor)",
                    e);
        }
        return byName;
    }
}
