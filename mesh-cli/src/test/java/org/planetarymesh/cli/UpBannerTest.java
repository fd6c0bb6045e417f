package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class UpBannerTest {

    private static final String ECHO = "./mesh submit echo --payload '{\"hello\":\"mesh\"}' --wait";

    @Test
    void onTheDefaultPathTheBannerNeedsNoSetup() {
        assertThat(UpCommand.tryCommands("http://127.0.0.1:7070", Path.of(".mesh")))
                .containsExactly(ECHO, "./mesh jobs", "./mesh nodes");
    }

    @Test
    void anotherPortIsExportedForTheCli() {
        assertThat(UpCommand.tryCommands("http://127.0.0.1:19070", Path.of(".mesh")))
                .startsWith("export MESH_COORDINATOR=http://127.0.0.1:19070")
                .contains(ECHO);
    }

    @Test
    void anotherDataDirIsExportedAsAnAbsolutePathSoTheCliFindsItsToken() {
        Path dir = Path.of("state", "mesh b");
        assertThat(UpCommand.tryCommands("http://127.0.0.1:7070", dir).getFirst())
                .isEqualTo("export MESH_COORDINATOR=http://127.0.0.1:7070 MESH_DATA_DIR='"
                        + dir.toAbsolutePath().normalize() + "'");
    }
}
