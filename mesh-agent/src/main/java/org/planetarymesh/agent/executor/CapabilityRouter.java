package org.planetarymesh.agent.executor;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.planetarymesh.executor.Executor;

/**
 * Resolves a job type to an executor, most specific rule first: exact name → partial match (the type
 * starts with or contains an executor name, or an executor name starts with the type; the longest name wins, so
 * {@code http-download} goes to {@code http}) → the configured category map → the configured fallback. Immutable.
 */
public final class CapabilityRouter {
    private final Map<String, Executor> executors;
    private final Map<String, String> categories;
    private final String fallback;

    /**
     * @throws IllegalArgumentException if a category or the fallback names an executor that is not installed
     */
    public CapabilityRouter(Map<String, Executor> executors, Map<String, String> categories, String fallback) {
        this.executors = new TreeMap<>(executors);
        this.categories = Map.copyOf(categories);
        this.fallback = fallback;
        categories.forEach((type, executor) -> requireInstalled("categories entry '" + type + "'", executor));
        if (fallback != null) {
            requireInstalled("fallback", fallback);
        }
    }

    private void requireInstalled(String setting, String executor) {
        if (!executors.containsKey(executor)) {
            throw new IllegalArgumentException(setting + " names executor '" + executor
                    + "', which is not installed; installed executors: " + executors.keySet());
        }
    }

    /** The executor for {@code type} and the rule that chose it, or empty if no rule matches. */
    public Optional<Route> resolve(String type) {
        if (type == null || type.isBlank()) {
            return Optional.empty();
        }
        Executor exact = executors.get(type);
        if (exact != null) {
            return Optional.of(new Route(exact, RouteRule.EXACT));
        }
        Optional<Executor> partial = executors.values().stream()
                .filter(e -> type.startsWith(e.name())
                        || type.contains(e.name())
                        || e.name().startsWith(type))
                .max(Comparator.<Executor>comparingInt(e -> e.name().length())
                        .thenComparing(Executor::name, Comparator.reverseOrder()));
        if (partial.isPresent()) {
            return Optional.of(new Route(partial.get(), RouteRule.PARTIAL));
        }
        String category = categories.get(type);
        if (category != null) {
            return Optional.of(new Route(executors.get(category), RouteRule.CATEGORY));
        }
        if (fallback != null) {
            return Optional.of(new Route(executors.get(fallback), RouteRule.FALLBACK));
        }
        return Optional.empty();
    }

    /** Installed executor names, sorted. */
    public List<String> executorNames() {
        return List.copyOf(executors.keySet());
    }
}
