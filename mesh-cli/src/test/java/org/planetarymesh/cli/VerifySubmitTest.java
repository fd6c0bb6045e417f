package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.Verify;
import org.planetarymesh.core.json.Json;

/** {@code mesh submit --verify K/Q}, and the replicas section of {@code mesh job} for a verified job. */
class VerifySubmitTest {

    private static SubmitCommand parse(String... args) {
        return (SubmitCommand) MeshCommand.newCommandLine()
                .parseArgs(args)
                .subcommand()
                .commandSpec()
                .userObject();
    }

    @Test
    void verifySetsTheSpecsReplicasAndQuorum() {
        assertThat(parse("submit", "echo", "--verify", "3/2").spec().verify()).isEqualTo(new Verify(3, 2));
        assertThat(parse("submit", "echo").spec().verify()).isNull();
    }

    @Test
    void aBadVerifyIsAUsageErrorSayingTheForm() {
        for (String bad : new String[] {"3", "1/1", "8/2", "3/4", "3/0", "three/two"}) {
            Cli run = Cli.run("submit", "echo", "--verify", bad, "--coordinator", "http://127.0.0.1:1");
            assertThat(run.exitCode()).as(bad).isNotZero();
            assertThat(run.err()).as(bad).contains("--verify takes K/Q").contains("'" + bad + "'");
        }
    }

    @Test
    void theReplicasSectionShowsEachReplicasNodeStatusVerdictAndOutput() throws Exception {
        String replicas = ReplicaDetail.render(new Verify(3, 2), Json.mapper().readTree("""
                [{"replica":1,"job_id":"j1","node_id":"did:key:z6MkAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                  "status":"COMPLETED","output_cid":"bafkreione","verdict":"agreed"},
                 {"replica":2,"job_id":"j2","node_id":"n2","status":"COMPLETED","output_cid":"bafkreitwo",
                  "verdict":"dissented"},
                 {"replica":3,"job_id":"j3","status":"QUEUED"}]
                """));

        assertThat(replicas)
                .contains("Replicas (2 of 3 must agree)")
                .containsPattern("1 +j1 +did:key:z6Mk…AAAAAAAAA +COMPLETED +agreed +bafkreione")
                .containsPattern("2 +j2 +n2 +COMPLETED +dissented +bafkreitwo")
                .containsPattern("3 +j3 +- +QUEUED +- +-");
    }
}
