package org.planetarymesh.agent.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.agent.config.InvalidConfigException;
import org.planetarymesh.agent.executor.builtin.EchoExecutor;
import org.planetarymesh.agent.executor.builtin.ShellExecutor;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutionRequest;
import org.planetarymesh.executor.ExecutionResult;
import org.planetarymesh.executor.Executor;
import org.planetarymesh.executor.ExecutorConfig;

/** The lifecycle the agent drives: configure with the executor's settings, start, close; wrong settings refused. */
class InstalledExecutorsTest {
    @TempDir
    Path data;

    /** Records the lifecycle calls it gets. */
    private static final class Recording implements Executor {
        final List<String> calls = new ArrayList<>();
        ExecutorConfig config;

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void configure(ExecutorConfig config) {
            config.allowOnly("level");
            this.config = config;
            calls.add("configure level=" + config.string("level", "none"));
        }

        @Override
        public void start() {
            calls.add("start");
        }

        @Override
        public ExecutionResult execute(ExecutionRequest request, ExecutionContext context) {
            return ExecutionResult.of(null);
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    private AgentConfig.Builder config() {
        return AgentConfig.builder().dataDir(data);
    }

    @Test
    void eachExecutorIsConfiguredWithItsOwnSectionThenStartedAndClosed() {
        Recording recording = new Recording();
        InstalledExecutors installed = InstalledExecutors.start(
                List.of(new EchoExecutor(), recording),
                getClass().getClassLoader(),
                config().executorSetting("recording", "level", "3", "test").build());

        assertThat(installed.byName()).containsOnlyKeys("echo", "recording");
        assertThat(recording.calls).containsExactly("configure level=3", "start");
        assertThat(recording.config.dataDir()).isEqualTo(data.resolve("executors/recording"));
        installed.close();
        assertThat(recording.calls).containsExactly("configure level=3", "start", "close");
    }

    @Test
    void anUnknownSettingOrAnExecutorThatIsNotInstalledStopsTheStart() {
        assertThatThrownBy(() -> InstalledExecutors.start(
                        List.of(new EchoExecutor()),
                        getClass().getClassLoader(),
                        config().executorSetting("echo", "colour", "blue", "agent.toml [executors.echo]")
                                .build()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("executor echo, setting 'colour' (from agent.toml [executors.echo])")
                .hasMessageContaining("unknown setting");
        assertThatThrownBy(() -> InstalledExecutors.start(
                        List.of(new EchoExecutor()),
                        getClass().getClassLoader(),
                        config().executorSetting("checksum", "algorithm", "SHA-256", "test")
                                .build()))
                .hasMessageContaining("executor settings name [checksum], which is not installed")
                .hasMessageContaining("plugins directory");
    }

    @Test
    void theShellAllowListComesFromItsOwnFlagAndItsHintNamesTheProcessRunningTheAgent() {
        ShellExecutor shell = new ShellExecutor();
        InstalledExecutors.start(
                List.of(shell),
                getClass().getClassLoader(),
                config().allowShell(List.of("echo")).hostCommand("mesh up").build());

        assertThatThrownBy(() ->
                        shell.check(org.planetarymesh.core.json.Json.mapper().readTree("{\"command\": [\"ls\"]}")))
                .hasMessageContaining("add it by restarting it with `mesh up --allow-shell echo,ls`")
                .hasMessageNotContaining("agent.toml");
        assertThatThrownBy(() -> InstalledExecutors.start(
                        List.of(new ShellExecutor()),
                        getClass().getClassLoader(),
                        config().executorSetting("shell", "allow", "ls", "agent.toml [executors.shell]")
                                .build()))
                .hasMessageContaining("set the shell allow-list with allow_shell (--allow-shell) instead");
    }
}
