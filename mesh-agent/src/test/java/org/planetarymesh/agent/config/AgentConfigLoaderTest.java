package org.planetarymesh.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigLoaderTest {
    @TempDir
    Path dir;

    private Path toml() throws Exception {
        return Files.writeString(dir.resolve("agent.toml"), """
                coordinator = "toml-host:7070"
                token = "toml-token"
                name = "from-toml"
                capabilities = ["gpu", "cuda"]
                allow_shell = ["ls", "/bin/sh"]
                fallback = "echo"
                heartbeat_interval_ms = 1500

                [limits]
                max_concurrent = 3

                [labels]
                zone = "eu"
                rack = "r1"

                [categories]
                analysis = "shell"
                """);
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsToml() throws Exception {
        AgentConfig config = AgentConfigLoader.load(
                Map.of("config", toml().toString(), "name", "from-flag", "max-concurrent", "7"),
                Map.of("MESH_NAME", "from-env", "MESH_TOKEN", "env-token", "MESH_MAX_CONCURRENT", "5"));

        assertThat(config.name()).isEqualTo("from-flag");
        assertThat(config.maxConcurrent()).isEqualTo(7);
        assertThat(config.token()).isEqualTo("env-token");
        assertThat(config.coordinator()).isEqualTo("http://toml-host:7070");
        assertThat(config.capabilities()).containsExactly("gpu", "cuda");
        assertThat(config.allowShell()).containsExactly("ls", "/bin/sh");
        assertThat(config.labels()).containsEntry("zone", "eu").containsEntry("rack", "r1");
        assertThat(config.categories()).containsEntry("analysis", "shell");
        assertThat(config.fallback()).isEqualTo("echo");
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void executorSectionsPluginsAndTheExecuteTokenComeFromEverySource() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path file = Files.writeString(dir.resolve("plugins.toml"), """
                plugins = "%s"

                [executors.checksum]
                algorithm = "SHA-512"
                hosts = ["a", "b"]

                [executors.other-one]
                level = 2
                """.formatted(plugins));

        AgentConfig config = AgentConfigLoader.load(
                Map.of("config", file.toString(), "executors.checksum.algorithm", "SHA-256"),
                Map.of("MESH_EXECUTE_TOKEN", "a-token-of-sixteen-or-more"));

        assertThat(config.plugins()).isEqualTo(plugins);
        assertThat(config.executeToken()).isEqualTo("a-token-of-sixteen-or-more");
        assertThat(config.executorSettings().get("checksum"))
                .containsEntry(
                        "algorithm",
                        new org.planetarymesh.executor.ExecutorConfig.Setting(
                                "SHA-256", "flag --executor-setting checksum.algorithm"))
                .containsEntry(
                        "hosts",
                        new org.planetarymesh.executor.ExecutorConfig.Setting(
                                "a,b", "plugins.toml [executors.checksum]"));
        assertThat(config.executorSettings().get("other-one").get("level").value())
                .isEqualTo("2");
        assertThatThrownBy(() -> AgentConfigLoader.load(
                        Map.of("plugins", dir.resolve("nope").toString()), Map.of()))
                .hasMessageContaining("plugins: '" + dir.resolve("nope") + "' is not a directory");
        assertThatThrownBy(() -> AgentConfigLoader.load(Map.of("executors.checksum", "x"), Map.of()))
                .hasMessageContaining("must be NAME.KEY=VALUE");
    }

    @Test
    void biddingComesFromABiddingSectionOrFlagsAndABadPriceNamesItsSetting() throws Exception {
        Path file = Files.writeString(dir.resolve("bids.toml"), """
                [bidding]
                bid_min_price = 2
                bid_standing_offers = true
                bid_eta_ms = { echo = 5 }

                [bid_price_per_job]
                echo = 3
                "*" = 9
                """);
        AgentConfig config =
                AgentConfigLoader.load(Map.of("config", file.toString(), "bid-price-per-second", "sleep=4"), Map.of());

        assertThat(config.bidding())
                .isEqualTo(new org.planetarymesh.agent.bidding.BiddingPolicy(
                        true, Map.of("echo", 3L, "*", 9L), Map.of("sleep", 4L), 2, Map.of("echo", 5L), true));
        assertThatThrownBy(() -> AgentConfigLoader.load(Map.of("bid-price-per-job", "echo=-1"), Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("bid_price_per_job.echo: '-1' is not a whole number of 0 or more");
    }

    @Test
    void tomlValuesApplyWhenNothingOverridesThem() throws Exception {
        AgentConfig config = AgentConfigLoader.load(Map.of(), Map.of("MESH_CONFIG", toml().toString()));
        assertThat(config.name()).isEqualTo("from-toml");
        assertThat(config.maxConcurrent()).isEqualTo(3);
    }

    @Test
    void defaultsAndAddressForms() {
        AgentConfig config = AgentConfigLoader.load(
                Map.of("coordinator", ":7070", "labels", "a=1, b=2", "allow-http", "127.0.0.1,example.org"), Map.of());
        assertThat(config.coordinator()).isEqualTo("http://localhost:7070");
        assertThat(config.maxConcurrent()).isEqualTo(Runtime.getRuntime().availableProcessors() * 4);
        assertThat(config.dataDir()).isEqualTo(Path.of(".mesh-agent"));
        assertThat(config.allowShell()).as("shell is off by default").isEmpty();
        assertThat(config.allowHttp()).containsExactly("127.0.0.1", "example.org");
        assertThat(config.labels()).isEqualTo(Map.of("a", "1", "b", "2"));
        assertThat(config.httpPort()).isZero();
        assertThat(AgentConfigLoader.load(Map.of("coordinator", "https://mesh.example:8443/"), Map.of())
                        .coordinator())
                .isEqualTo("https://mesh.example:8443");
    }

    @Test
    void badSettingsNameTheSettingAndTheSource() throws Exception {
        assertThatThrownBy(() -> AgentConfigLoader.load(Map.of("max-concurrent", "lots"), Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("max_concurrent")
                .hasMessageContaining("'lots' is not a whole number")
                .hasMessageContaining("flag --max-concurrent");
        assertThatThrownBy(() -> AgentConfigLoader.load(Map.of(), Map.of("MESH_MAX_CONCURRENT", "0")))
                .hasMessageContaining("max_concurrent: 0 is outside 1..10000")
                .hasMessageContaining("MESH_MAX_CONCURRENT");
        assertThatThrownBy(() -> AgentConfigLoader.load(Map.of("coordinator", "ftp://x:1"), Map.of()))
                .hasMessageContaining("coordinator")
                .hasMessageContaining("only http and https");
        assertThatThrownBy(() -> AgentConfigLoader.load(Map.of("labels", "zone"), Map.of()))
                .hasMessageContaining("labels: 'zone' is not key=value");
        assertThatThrownBy(() -> AgentConfigLoader.load(Map.of("colour", "red"), Map.of()))
                .hasMessageContaining("unknown setting 'colour'");
        Path bad = Files.writeString(dir.resolve("bad.toml"), "max_concurent = 4\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(Map.of("config", bad.toString()), Map.of()))
                .hasMessageContaining("unknown setting 'max_concurent'")
                .hasMessageContaining("bad.toml");
        assertThatThrownBy(() -> AgentConfigLoader.load(
                        Map.of("config", dir.resolve("none.toml").toString()), Map.of()))
                .hasMessageContaining("does not exist");
    }

    @Test
    void builderRefusesAnEmptyName() {
        assertThatThrownBy(() -> AgentConfig.builder().name(" ").build())
                .isInstanceOf(InvalidConfigException.class)
                .extracting(e -> ((InvalidConfigException) e).setting())
                .isEqualTo("name");
        assertThat(AgentConfig.builder().allowShell(List.of("ls")).build().allowShell())
                .containsExactly("ls");
    }
}
