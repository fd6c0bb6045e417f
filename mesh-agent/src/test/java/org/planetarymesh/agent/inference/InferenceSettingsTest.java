package org.planetarymesh.agent.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.planetarymesh.executor.ExecutorConfig;
import org.planetarymesh.executor.InvalidExecutorConfigException;

class InferenceSettingsTest {

    @Test
    void defaultsDiscoverTheUsualLocalPorts() {
        InferenceSettings settings = InferenceSettings.from(ExecutorConfig.of("inference", Map.of()));

        assertThat(settings.discover()).isTrue();
        assertThat(settings.discoverHost()).isEqualTo("127.0.0.1");
        assertThat(settings.discoverPorts()).containsExactly(8000, 8080, 1234, 11434);
        assertThat(settings.backends()).isEmpty();
        assertThat(settings.apiKey()).isNull();
        assertThat(settings.maxConcurrent()).isEqualTo(4);
        assertThat(settings.maxTokens()).isEqualTo(2048);
        assertThat(settings.refreshInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.streamIntervalMillis()).isEqualTo(10);
    }

    @Test
    void backendsAndLimitsAreRead() {
        InferenceSettings settings = InferenceSettings.from(ExecutorConfig.of(
                "inference",
                Map.of(
                        "backends", "http://127.0.0.1:8000, https://api.openai.com/v1",
                        "api_key", "sk-test",
                        "max_concurrent", "2",
                        "max_tokens", "128",
                        "stream_interval_ms", "0")));

        assertThat(settings.backends())
                .containsExactly(URI.create("http://127.0.0.1:8000"), URI.create("https://api.openai.com/v1"));
        assertThat(settings.apiKey()).isEqualTo("sk-test");
        assertThat(settings.toString()).doesNotContain("sk-test");
        assertThat(settings.maxConcurrent()).isEqualTo(2);
        assertThat(settings.maxTokens()).isEqualTo(128);
        assertThat(settings.streamIntervalMillis()).isZero();
    }

    @Test
    void eachWrongSettingIsNamed() {
        List<Map<String, String>> wrong = List.of(
                Map.of("backends", "ftp://x"),
                Map.of("max_tokens", "0"),
                Map.of("stream_interval_ms", "-1"),
                Map.of("stream_interval_ms", "1001"),
                Map.of("discover_ports", "80,99999"),
                Map.of("discover", "yes"),
                Map.of("api_key_env", "MESH_TEST_NO_SUCH_VARIABLE_SET"),
                Map.of("api_key", "a", "api_key_env", "HOME"),
                Map.of("temperature", "1"));
        for (Map<String, String> values : wrong) {
            String key = values.containsKey("api_key_env")
                    ? "api_key_env"
                    : values.keySet().iterator().next();
            assertThatThrownBy(() -> InferenceSettings.from(ExecutorConfig.of("inference", values)))
                    .as(values.toString())
                    .isInstanceOfSatisfying(
                            InvalidExecutorConfigException.class,
                            e -> assertThat(e.key()).isEqualTo(key));
        }
    }
}
