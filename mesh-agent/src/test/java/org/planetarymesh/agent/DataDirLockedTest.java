package org.planetarymesh.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.core.datadir.DataDirLock;

/** Two agents on one data dir would share one identity: the second is refused, naming the first's process. */
class DataDirLockedTest {

    @TempDir
    Path dir;

    private AgentConfig config() {
        return AgentConfig.builder()
                .dataDir(dir)
                .httpPort(-1)
                .shutdownGrace(Duration.ZERO)
                .build();
    }

    @Test
    void aSecondAgentOnOneDataDirIsRefusedUntilTheFirstStops() {
        String id;
        try (Agent first = Agent.start(config())) {
            id = first.nodeId();
            assertThatThrownBy(() -> Agent.start(config()))
                    .isInstanceOf(DataDirLock.InUseException.class)
                    .hasMessageContaining("in use by another agent")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("--data-dir");
        }
        try (Agent again = Agent.start(config())) {
            assertThat(again.nodeId()).isEqualTo(id);
        }
    }
}
