package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A body nested past the JSON limit gets a plain answer: the limit and what to do, not the parser's internals. */
class DeepBodyTest {

    @TempDir
    Path dir;

    @Test
    void aBodyNestedPastTheLimitIsRefusedInPlainWords() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            String deep = "{\"type\":\"echo\",\"payload\":" + "[".repeat(80) + "]".repeat(80) + "}";

            TestCoordinator.Response refused = TestCoordinator.post(coordinator, "/v1/jobs", deep);

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body().at("/error/message").asText())
                    .isEqualTo("the body nests arrays and objects deeper than 64 levels, more than the API reads;"
                            + " flatten it, or send the deep part as a string")
                    .doesNotContain("StreamReadConstraints");
        }
    }
}
