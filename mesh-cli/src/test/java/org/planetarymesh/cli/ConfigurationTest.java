package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.config.AgentConfigLoader;
import org.planetarymesh.cli.config.CoordinatorSettings;
import org.planetarymesh.coordinator.CoordinatorConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** One configuration story: file, then environment, then flags; unknown keys refused; every setting documented. */
class ConfigurationTest {

    private static final Path CONFIGURATION_MD = Path.of("..", "docs", "CONFIGURATION.md");

    @TempDir
    Path dir;

    @Test
    void flagsBeatTheEnvironmentWhichBeatsTheFile() throws IOException {
        Path file = dir.resolve("coordinator.toml");
        Files.writeString(file, "port = 7101\nmax_batch_jobs = 5\nrequire_agent_key = false\nhost = \"0.0.0.0\"\n");
        Map<String, String> flags = new HashMap<>();
        flags.put("config", file.toString());
        Map<String, String> env = Map.of("MESH_PORT", "7102", "MESH_MAX_BATCH_JOBS", "6");

        CoordinatorConfig fromFileAndEnv = CoordinatorSettings.load(flags, env);
        assertThat(fromFileAndEnv.port()).isEqualTo(7102);
        assertThat(fromFileAndEnv.maxBatchJobs()).isEqualTo(6);
        assertThat(fromFileAndEnv.requireAgentKey()).isFalse();
        assertThat(fromFileAndEnv.host()).isEqualTo("0.0.0.0");

        flags.put("port", "7103");
        assertThat(CoordinatorSettings.load(flags, env).port()).isEqualTo(7103);
        assertThat(CoordinatorSettings.load(Map.of(), Map.of("MESH_CONFIG", file.toString()))
                        .port())
                .isEqualTo(7101);
        assertThat(CoordinatorSettings.load(Map.of(), Map.of()).port()).isEqualTo(7070);
    }

    @Test
    void anUnknownKeyInTheFileIsRefusedListingTheKnownOnes() throws IOException {
        Path file = dir.resolve("coordinator.toml");
        Files.writeString(file, "prot = 7101\n");

        assertThatThrownBy(() -> CoordinatorSettings.load(Map.of("config", file.toString()), Map.of()))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("unknown setting 'prot' in " + file)
                .hasMessageContaining("known settings: [")
                .hasMessageContaining("port");
    }

    @Test
    void aBadValueNamesWhereItCameFrom() {
        assertThatThrownBy(() -> CoordinatorSettings.load(Map.of(), Map.of("MESH_PORT", "7o70")))
                .isInstanceOf(UserError.class)
                .hasMessage("'7o70' (from environment variable MESH_PORT) is not a whole number");
        assertThatThrownBy(() -> CoordinatorSettings.load(Map.of("port", "70000"), Map.of()))
                .hasMessage("'70000' (from flag --port) must be between 0 and 65535");
        assertThatThrownBy(() -> CoordinatorSettings.load(Map.of("log_format", "xml"), Map.of()))
                .isInstanceOf(UserError.class);
    }

    @Test
    void theCoordinatorCommandRefusesAnUnknownKeyInOneLine() throws IOException {
        Path file = dir.resolve("coordinator.toml");
        Files.writeString(file, "[server]\nport = 1\n");

        Cli cli = Cli.run("coordinator", "--config", file.toString());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.err()).startsWith("error: unknown setting 'server' in ").endsWith("(invalid_config)\n");
    }

    @Test
    void theReferencePageNamesEverySettingOfEveryProcess() throws IOException {
        Set<String> documented = documentedNames(Files.readString(CONFIGURATION_MD));

        assertThat(documented).as("coordinator settings").containsAll(CoordinatorSettings.names());
        assertThat(documented).as("agent settings").containsAll(AgentConfigLoader.SETTINGS);
        for (String command : new String[] {"coordinator", "up", "agent"}) {
            assertDocumented(
                    documented,
                    "mesh " + command,
                    MeshCommand.newCommandLine().getSubcommands().get(command).getCommandSpec());
        }
        var jobs = MeshCommand.newCommandLine().getSubcommands().get("jobs").getCommandSpec();
        for (String mixin : new String[] {"connection", "output", "debug"}) {
            assertDocumented(
                    documented, "the CLI's " + mixin + " options", jobs.mixins().get(mixin));
        }
    }

    private static void assertDocumented(Set<String> documented, String what, CommandLine.Model.CommandSpec spec) {
        assertThat(spec).as(what).isNotNull();
        for (OptionSpec option : spec.options()) {
            String flag = option.longestName();
            if (flag.equals("--help") || flag.equals("--version")) {
                continue;
            }
            String setting = flag.substring(2).replace('-', '_');
            assertThat(documented.contains(setting) || documented.contains(flag))
                    .as("%s %s is in docs/CONFIGURATION.md", what, flag)
                    .isTrue();
        }
    }

    /** Every name in backticks that starts a table row: `port`, `--coordinator`, ... */
    private static Set<String> documentedNames(String page) {
        Set<String> names = new TreeSet<>();
        Matcher cell = Pattern.compile("(?m)^\\| `([^`]+)`").matcher(page);
        while (cell.find()) {
            names.add(cell.group(1).split(" ")[0]);
        }
        Matcher flag = Pattern.compile("`(--[a-z-]+)").matcher(page);
        while (flag.find()) {
            names.add(flag.group(1));
        }
        return names;
    }
}
