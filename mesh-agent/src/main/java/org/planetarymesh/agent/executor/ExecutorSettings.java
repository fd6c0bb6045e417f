package org.planetarymesh.agent.executor;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.agent.config.InvalidConfigException;
import org.planetarymesh.executor.ExecutorConfig;

/**
 * Builds each executor's {@link ExecutorConfig} from the agent's configuration: its {@code [executors.NAME]} section,
 * plus for {@code shell} and {@code http} their allow-lists, which have flags of their own ({@code --allow-shell},
 * {@code --allow-http}). Its hints name the flag of the process that runs the agent ({@code mesh agent} or
 * {@code mesh up}), so that a message telling the operator what to change names a flag that process takes.
 */
final class ExecutorSettings {
    /** The built-in settings with a top-level name of their own: executor → (key → agent setting). */
    private static final Map<String, String> OWN_FLAGS = Map.of("shell", "allow_shell", "http", "allow_http");

    private ExecutorSettings() {}

    static ExecutorConfig forExecutor(String executor, AgentConfig config) {
        Map<String, ExecutorConfig.Setting> settings =
                new TreeMap<>(config.executorSettings().getOrDefault(executor, Map.of()));
        String ownFlag = OWN_FLAGS.get(executor);
        if (ownFlag != null) {
            if (settings.containsKey("allow")) {
                throw new InvalidConfigException(
                        ownFlag,
                        "executors." + executor + ".allow (from "
                                + settings.get("allow").source() + "): set the "
                                + executor + " allow-list with " + ownFlag + " (--" + ownFlag.replace('_', '-')
                                + ") instead");
            }
            List<String> allowed = executor.equals("shell") ? config.allowShell() : config.allowHttp();
            if (!allowed.isEmpty()) {
                settings.put("allow", new ExecutorConfig.Setting(String.join(",", allowed), ownFlag));
            }
        }
        return new ExecutorConfig(
                executor,
                settings,
                config.dataDir().resolve("executors").resolve(executor),
                (key, example) -> howToSet(config.hostCommand(), executor, key, example));
    }

    private static String howToSet(String command, String executor, String key, String example) {
        String ownFlag = OWN_FLAGS.get(executor);
        boolean standalone = command.equals("mesh agent");
        if (ownFlag != null && key.equals("allow")) {
            String flag = "--" + ownFlag.replace('_', '-');
            return "`" + command + " " + flag + " " + example + "`"
                    + (standalone
                            ? " (or " + ownFlag + " in agent.toml, or MESH_"
                                    + ownFlag.toUpperCase(java.util.Locale.ROOT) + ")"
                            : "");
        }
        return "`" + command + " --executor-setting " + executor + "." + key + "=" + example + "`"
                + (standalone ? " (or " + key + " under [executors." + executor + "] in agent.toml)" : "");
    }
}
