package org.planetarymesh.agent.executor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.agent.config.InvalidConfigException;
import org.planetarymesh.executor.Executor;
import org.planetarymesh.executor.InvalidExecutorConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executors an agent runs: the built-ins and those found with {@link ServiceLoader}, each configured from the
 * agent's settings and started; {@link #close()} closes them. Built-ins come first, and a discovered executor whose
 * name is taken is skipped with a warning, so a stray jar cannot silently replace {@code shell} and bypass its
 * allow-list.
 */
public final class InstalledExecutors implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstalledExecutors.class);

    private final Map<String, Executor> byName;

    private InstalledExecutors(Map<String, Executor> byName) {
        this.byName = byName;
    }

    /**
     * Collects, configures and starts the executors.
     *
     * @throws InvalidConfigException if a provider cannot be loaded, a setting is wrong or unknown, a setting names
     *     an executor that is not installed, or an executor fails to start
     */
    public static InstalledExecutors start(List<Executor> builtIns, ClassLoader loader, AgentConfig config) {
        Map<String, Executor> byName = collect(builtIns, loader);
        Set<String> unknown = new TreeSet<>(config.executorSettings().keySet());
        unknown.removeAll(byName.keySet());
        if (!unknown.isEmpty()) {
            throw new InvalidConfigException(
                    "executors",
                    "executor settings name " + unknown + ", which is not installed; installed executors: "
                            + new TreeSet<>(byName.keySet()) + " (is its jar in the plugins directory?)");
        }
        List<Executor> started = new ArrayList<>();
        try {
            for (Executor executor : byName.values()) {
                configureAndStart(executor, config);
                started.add(executor);
            }
        } catch (RuntimeException e) {
            started.forEach(InstalledExecutors::closeQuietly);
            throw e;
        }
        return new InstalledExecutors(byName);
    }

    private static void configureAndStart(Executor executor, AgentConfig config) {
        try {
            executor.configure(ExecutorSettings.forExecutor(executor.name(), config));
        } catch (InvalidExecutorConfigException e) {
            throw new InvalidConfigException("executors." + e.executor() + "." + e.key(), e.getMessage());
        }
        try {
            executor.start();
        } catch (Exception e) {
            throw new InvalidConfigException(
                    "executors." + executor.name(),
                    "executor " + executor.name() + " (" + executor.getClass().getName() + ") failed to start: "
                            + e.getMessage());
        }
    }

    private static Map<String, Executor> collect(List<Executor> builtIns, ClassLoader loader) {
        Map<String, Executor> byName = new LinkedHashMap<>();
        builtIns.forEach(e -> byName.put(e.name(), e));
        try {
            for (Executor found : ServiceLoader.load(Executor.class, loader)) {
                String name = found.name();
                if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
                    throw new InvalidConfigException(
                            "plugins",
                            "executor " + found.getClass().getName() + " has name() '" + name
                                    + "'; give it a job type name of letters, digits, '.', '_' or '-'");
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
            throw new InvalidConfigException(
                    "plugins",
                    "cannot load an executor: " + e.getMessage() + " (check its META-INF/services/"
                            + Executor.class.getName() + " entry and public no-argument constructor)");
        }
        return byName;
    }

    /** The executors by name. */
    public Map<String, Executor> byName() {
        return byName;
    }

    /** Closes every executor; a failure is logged and the others are still closed. */
    @Override
    public void close() {
        byName.values().forEach(InstalledExecutors::closeQuietly);
    }

    private static void closeQuietly(Executor executor) {
        try {
            executor.close();
        } catch (Exception e) {
            LOG.warn("executor {} failed to close", executor.name(), e);
        }
    }
}
