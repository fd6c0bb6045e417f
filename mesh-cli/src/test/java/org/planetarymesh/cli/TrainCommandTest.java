package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code mesh train}, the AOT cache's training run, needs nothing but this jar and runs every job it submits. */
class TrainCommandTest {

    @Test
    void runsItsEchoJobsThroughAThrowawayMeshAndExits() {
        Cli cli = Cli.run("train", "--jobs", "1200");

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Trained: 1200 echo jobs completed");
    }

    @Test
    void isHiddenFromTheHelp() {
        assertThat(Cli.run("--help").out()).doesNotContainPattern("(?m)^\\s+train\\s");
    }

    @Test
    void aJobCountBelowOneIsRefused() {
        Cli cli = Cli.run("train", "--jobs", "0");

        assertThat(cli.exitCode()).isNotZero();
        assertThat(cli.err()).contains("--jobs must be at least 1");
    }
}
