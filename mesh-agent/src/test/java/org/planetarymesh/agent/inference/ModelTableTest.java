package org.planetarymesh.agent.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.node.ModelState;

class ModelTableTest {
    private static final Backend REMOTE =
            new Backend(WireFormat.OPENAI, URI.create("https://10.20.30.40:8000/v1"), "vllm", true, "sk-secret-key");
    private static final Backend LOCAL =
            new Backend(WireFormat.OLLAMA, URI.create("http://127.0.0.1:11434"), "ollama", false, null);

    @Test
    void localBackendsComeFirstWhateverOrderTheyWereFoundIn() {
        ModelTable table = ModelTable.of(List.of(
                new BackendProbe.Found(
                        REMOTE,
                        List.of(
                                new ModelState("llama3", true, REMOTE.label()),
                                new ModelState("big", true, REMOTE.label()))),
                new BackendProbe.Found(LOCAL, List.of(new ModelState("llama3", false, LOCAL.label())))));

        assertThat(table.backends("llama3")).containsExactly(LOCAL, REMOTE);
        assertThat(table.backends("big")).containsExactly(REMOTE);
        assertThat(table.backends("missing")).isEmpty();
        // Advertised once, under the preferred backend, warm because one of its backends has it loaded.
        assertThat(table.states())
                .containsExactly(
                        new ModelState("llama3", true, "ollama@127.0.0.1:11434"),
                        new ModelState("big", true, "vllm@10.20.30.40:8000"));
    }

    @Test
    void aBackendNeverShowsItsKey() {
        assertThat(REMOTE.toString()).doesNotContain("sk-secret-key").contains("vllm@10.20.30.40:8000");
        assertThat(REMOTE.local()).isFalse();
        assertThat(LOCAL.local()).isTrue();
    }
}
