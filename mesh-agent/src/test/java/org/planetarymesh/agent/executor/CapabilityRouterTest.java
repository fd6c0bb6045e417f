package org.planetarymesh.agent.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.planetarymesh.agent.executor.builtin.EchoExecutor;
import org.planetarymesh.agent.executor.builtin.SleepExecutor;
import org.planetarymesh.executor.Executor;

class CapabilityRouterTest {
    private static Map<String, Executor> installed() {
        Map<String, Executor> m = new LinkedHashMap<>();
        for (Executor e :
                List.of(new EchoExecutor(), new SleepExecutor(), TestExecutors.shell(""), TestExecutors.http(""))) {
            m.put(e.name(), e);
        }
        return m;
    }

    private final CapabilityRouter router =
            new CapabilityRouter(installed(), Map.of("analysis", "shell", "content", "echo"), "sleep");

    private String route(String type) {
        Route r = router.resolve(type).orElseThrow();
        return r.executor().name() + "/" + r.rule().wireName();
    }

    @Test
    void exactNameWinsFirst() {
        assertThat(route("http")).isEqualTo("http/exact");
        assertThat(route("echo")).isEqualTo("echo/exact");
    }

    @Test
    void partialMatchByPrefixOrContainment() {
        assertThat(route("http-download")).isEqualTo("http/partial");
        assertThat(route("web.http.scrape")).isEqualTo("http/partial");
        assertThat(route("shel")).isEqualTo("shell/partial");
    }

    @Test
    void categoryMapIsTriedAfterPartialMatch() {
        assertThat(route("analysis")).isEqualTo("shell/category");
        assertThat(route("content")).isEqualTo("echo/category");
    }

    @Test
    void fallbackWhenNothingElseMatches() {
        assertThat(route("trading")).isEqualTo("sleep/fallback");
    }

    @Test
    void noRouteWithoutFallback() {
        CapabilityRouter strict = new CapabilityRouter(installed(), Map.of(), null);
        assertThat(strict.resolve("trading")).isEmpty();
        assertThat(strict.resolve("")).isEmpty();
    }

    @Test
    void categoryOrFallbackToAMissingExecutorIsRefused() {
        assertThatThrownBy(() -> new CapabilityRouter(installed(), Map.of("gpu", "cuda"), null))
                .hasMessageContaining("categories entry 'gpu'")
                .hasMessageContaining("'cuda'")
                .hasMessageContaining("not installed");
        assertThatThrownBy(() -> new CapabilityRouter(installed(), Map.of(), "wasm"))
                .hasMessageContaining("fallback names executor 'wasm'");
    }
}
