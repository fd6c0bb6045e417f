package org.planetarymesh.executor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * An executor's own settings, as the agent read them: its section {@code [executors.NAME]} of {@code agent.toml} or
 * {@code --executor-setting NAME.KEY=VALUE} flags (for the built-ins also their own flags, e.g. {@code --allow-shell}).
 * Values are text; the typed readers parse them and, when a value is wrong, throw an
 * {@link InvalidExecutorConfigException} that names the setting, where it came from and how to set it.
 */
public final class ExecutorConfig {

    /** One value and where it came from (e.g. {@code agent.toml [executors.checksum]}), for error messages. */
    public record Setting(String value, String source) {
        public Setting {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(source, "source");
        }
    }

    private final String executor;
    private final Map<String, Setting> settings;
    private final Path dataDir;
    private final BiFunction<String, String, String> howToSet;

    /**
     * @param executor the executor's name
     * @param settings its settings by key
     * @param dataDir a directory the executor may keep files in across jobs (it creates it if it needs it)
     * @param howToSet for a key and an example value, how the operator of this process sets it, e.g.
     *     {@code mesh agent --allow-shell ls}; used in messages that tell the operator what to change
     */
    public ExecutorConfig(
            String executor, Map<String, Setting> settings, Path dataDir, BiFunction<String, String, String> howToSet) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.settings = Map.copyOf(settings);
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        this.howToSet = Objects.requireNonNull(howToSet, "howToSet");
    }

    /** Settings given directly, e.g. to test an executor without an agent; the data dir is the temp dir. */
    public static ExecutorConfig of(String executor, Map<String, String> values) {
        Map<String, Setting> settings = new TreeMap<>();
        values.forEach((k, v) -> settings.put(k, new Setting(v, "test settings")));
        return new ExecutorConfig(
                executor,
                settings,
                Path.of(System.getProperty("java.io.tmpdir")),
                (key, example) -> "--executor-setting " + executor + "." + key + "=" + example);
    }

    /** The executor these settings are for. */
    public String executor() {
        return executor;
    }

    /** The keys that are set. */
    public Set<String> keys() {
        return new TreeSet<>(settings.keySet());
    }

    /** The text of {@code key}, or empty if it is not set. */
    public Optional<String> string(String key) {
        return Optional.ofNullable(settings.get(key)).map(Setting::value);
    }

    /** The text of {@code key}, or {@code fallback}. */
    public String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    /** A comma-separated value (a TOML array arrives joined by commas) as a list without blanks; empty if unset. */
    public List<String> list(String key) {
        return string(key)
                .map(v -> Arrays.stream(v.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .orElse(List.of());
    }

    /**
     * A whole number, or {@code fallback} if unset.
     *
     * @throws InvalidExecutorConfigException if the value is not a whole number
     */
    public long number(String key, long fallback) {
        Optional<String> value = string(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.get().strip());
        } catch (NumberFormatException e) {
            throw invalid(key, "'" + value.get() + "' is not a whole number");
        }
    }

    /**
     * {@code true} or {@code false}, or {@code fallback} if unset.
     *
     * @throws InvalidExecutorConfigException for any other value
     */
    public boolean flag(String key, boolean fallback) {
        Optional<String> value = string(key).map(String::strip);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, "'" + value.get() + "' is not true or false");
        };
    }

    /** A directory for this executor's own files (caches, models), kept across jobs and restarts; create it on use. */
    public Path dataDir() {
        return dataDir;
    }

    /** How the operator of this process sets {@code key}, with {@code example} as its value, for messages. */
    public String howToSet(String key, String example) {
        return howToSet.apply(key, example);
    }

    /**
     * Refuses keys other than {@code known}, so that a misspelt setting fails the start instead of being ignored.
     *
     * @throws InvalidExecutorConfigException naming the first unknown key and the known ones
     */
    public void allowOnly(String... known) {
        Set<String> allowed = Set.of(known);
        for (String key : keys()) {
            if (!allowed.contains(key)) {
                throw invalid(key, "unknown setting; " + executor + " knows " + new TreeSet<>(allowed));
            }
        }
    }

    /** An exception saying that {@code key} is wrong because of {@code problem}, and where it was set. */
    public InvalidExecutorConfigException invalid(String key, String problem) {
        Setting setting = settings.get(key);
        String from = setting == null ? "" : " (from " + setting.source() + ")";
        return new InvalidExecutorConfigException(
                executor, key, "executor " + executor + ", setting '" + key + "'" + from + ": " + problem);
    }
}
