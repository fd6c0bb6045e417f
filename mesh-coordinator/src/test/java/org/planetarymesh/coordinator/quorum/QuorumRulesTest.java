package org.planetarymesh.coordinator.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.job.JobStatus;

class QuorumRulesTest {

    private static Replica completed(int n, String node, String cid, int value) {
        return Replica.queued(n, "job-" + n)
                .endedAs(JobStatus.COMPLETED, node, cid, IntNode.valueOf(value), null, null);
    }

    private static Replica failed(int n, String node) {
        return Replica.queued(n, "job-" + n)
                .endedAs(JobStatus.FAILED, node, null, null, new JobError("executor_error", "boom on " + node), null);
    }

    @Test
    void theOutputQuorumReplicasShareIsAcceptedAndTheOthersDissent() {
        var decision = QuorumRules.decide(
                List.of(completed(1, "a", "bx", 1), completed(2, "b", "by", 2), completed(3, "c", "bx", 1)), 2);

        assertThat(decision).isInstanceOf(QuorumRules.Decision.Agreed.class);
        var agreed = (QuorumRules.Decision.Agreed) decision;
        assertThat(agreed.output().outputCid()).isEqualTo("bx");
        assertThat(agreed.output().nodes()).containsExactly("a", "c");
        assertThat(agreed.replicas())
                .extracting(Replica::verdict)
                .containsExactly(Replica.Verdict.AGREED, Replica.Verdict.DISSENTED, Replica.Verdict.AGREED);
    }

    @Test
    void withoutQuorumTheJobIsDisputedListingEveryOutputAndWhoProducedIt() {
        var decision = QuorumRules.decide(
                List.of(completed(1, "a", "bx", 1), completed(2, "b", "by", 2), completed(3, "c", "bz", 3)), 2);

        var disputed = (QuorumRules.Decision.Disputed) decision;
        assertThat(disputed.outputs()).extracting(QuorumRules.Output::outputCid).containsExactly("bx", "by", "bz");
        assertThat(disputed.outputs()).extracting(o -> o.nodes().getFirst()).containsExactly("a", "b", "c");
        assertThat(disputed.error().code()).isEqualTo("quorum_not_reached");
        assertThat(disputed.replicas()).extracting(Replica::verdict).containsOnly(Replica.Verdict.DISSENTED);
    }

    @Test
    void twoOutputsEachReachingALowQuorumIsADisputeNotAChoice() {
        var decision = QuorumRules.decide(List.of(completed(1, "a", "bx", 1), completed(2, "b", "by", 2)), 1);

        assertThat(decision).isInstanceOf(QuorumRules.Decision.Disputed.class);
    }

    @Test
    void failedReplicasDoNotCountAndWhenAllFailTheJobFails() {
        var short1 = QuorumRules.decide(List.of(completed(1, "a", "bx", 1), failed(2, "b"), failed(3, "c")), 2);
        assertThat(short1).isInstanceOf(QuorumRules.Decision.Disputed.class);
        assertThat(((QuorumRules.Decision.Disputed) short1).error().message())
                .contains("1 distinct output")
                .contains("2 replicas produced no output");

        var none = QuorumRules.decide(List.of(failed(1, "a"), failed(2, "b")), 2);
        var f = (QuorumRules.Decision.Failed) none;
        assertThat(f.error().code()).isEqualTo("executor_error");
        assertThat(f.error().message()).contains("boom on a").contains("boom on b");
        assertThat(f.replicas()).extracting(Replica::verdict).containsOnly(Replica.Verdict.FAILED);
    }
}
