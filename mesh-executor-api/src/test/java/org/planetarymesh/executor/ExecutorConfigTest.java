package org.planetarymesh.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorConfigTest {
    private final ExecutorConfig config = new ExecutorConfig(
            "checksum",
            Map.of(
                    "algorithm", new ExecutorConfig.Setting("SHA-512", "agent.toml [executors.checksum]"),
                    "chunk", new ExecutorConfig.Setting("lots", "flag --executor-setting checksum.chunk"),
                    "hosts", new ExecutorConfig.Setting(" a, b ,,c ", "agent.toml [executors.checksum]"),
                    "verbose", new ExecutorConfig.Setting("yes", "agent.toml [executors.checksum]")),
            Path.of("/data/executors/checksum"),
            (key, example) -> "`mesh agent --executor-setting checksum." + key + "=" + example + "`");

    @Test
    void typedReadersParseOrFallBack() {
        assertThat(config.string("algorithm", "SHA-256")).isEqualTo("SHA-512");
        assertThat(config.string("missing", "SHA-256")).isEqualTo("SHA-256");
        assertThat(config.list("hosts")).containsExactly("a", "b", "c");
        assertThat(config.list("missing")).isEmpty();
        assertThat(config.number("missing", 7)).isEqualTo(7);
        assertThat(config.flag("missing", true)).isTrue();
        assertThat(config.keys()).containsExactly("algorithm", "chunk", "hosts", "verbose");
    }

    @Test
    void aWrongValueNamesTheExecutorTheKeyAndWhereItWasSet() {
        assertThatThrownBy(() -> config.number("chunk", 1))
                .isInstanceOfSatisfying(InvalidExecutorConfigException.class, e -> {
                    assertThat(e.executor()).isEqualTo("checksum");
                    assertThat(e.key()).isEqualTo("chunk");
                })
                .hasMessage("executor checksum, setting 'chunk' (from flag --executor-setting checksum.chunk): "
                        + "'lots' is not a whole number");
        assertThatThrownBy(() -> config.flag("verbose", false)).hasMessageContaining("'yes' is not true or false");
    }

    @Test
    void allowOnlyRefusesAnUnknownKeyAndListsTheKnownOnes() {
        assertThatThrownBy(() -> config.allowOnly("algorithm", "chunk", "hosts"))
                .hasMessageContaining("setting 'verbose'")
                .hasMessageContaining("unknown setting; checksum knows [algorithm, chunk, hosts]");
    }

    @Test
    void theDefaultConfigureAcceptsNoSettings() {
        Executor readsNothing = new Executor() {
            @Override
            public String name() {
                return "x";
            }

            @Override
            public ExecutionResult execute(ExecutionRequest request, ExecutionContext context) {
                return ExecutionResult.of(null);
            }
        };
        assertThatThrownBy(() -> readsNothing.configure(config)).isInstanceOf(InvalidExecutorConfigException.class);
        readsNothing.configure(ExecutorConfig.of("x", Map.of()));
    }

    @Test
    void errorCodesKeepTheProtocolsNames() {
        assertThat(ErrorCode.OUT_OF_CAPACITY.wireName()).isEqualTo("out_of_capacity");
        assertThat(ErrorCode.AUTH_REJECTED_BY_BACKEND.wireName()).isEqualTo("auth_rejected_by_backend");
        assertThat(new ExecutorException(ErrorCode.INVALID_PAYLOAD, "x").retryable())
                .isFalse();
        assertThat(new ExecutorException(ErrorCode.BACKEND_TIMEOUT, "x").retryable())
                .isTrue();
    }
}
