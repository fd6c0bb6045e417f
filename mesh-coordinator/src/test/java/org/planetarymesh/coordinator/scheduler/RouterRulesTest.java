package org.planetarymesh.coordinator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.scheduler.SchedulerHarness.FakeNode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Resources;
import org.planetarymesh.core.job.RouteDecision;
import org.planetarymesh.core.protocol.Message;

/**
 * The router after placement: scope bound to the link, escalation with its reason, peers only when this mesh cannot,
 * and resources reserved by running jobs.
 */
class RouterRulesTest {

    @TempDir
    Path dir;

    private SchedulerHarness h;

    @BeforeEach
    void start() {
        h = new SchedulerHarness(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private static Message.Hello hello(
            String id, int slots, List<String> capabilities, Resources resources, Map<String, String> labels) {
        return new Message.Hello(
                id,
                id,
                capabilities,
                List.of("echo"),
                List.of(),
                slots,
                resources,
                labels,
                Map.of(),
                null,
                null,
                List.of());
    }

    private static Message.Hello plain(String id, int slots, Map<String, String> labels) {
        return hello(id, slots, List.of("echo"), null, labels);
    }

    @Test
    void aLocalJobNeverGoesToANodeThatOnlyCallsItselfLocal() {
        FakeNode impostor = h.connect(plain("impostor", 8, Map.of("mesh.local", "true")), false);

        Job job = h.submit("{\"type\":\"echo\",\"scope\":\"LOCAL\"}");

        assertThat(impostor.assignments()).isEmpty();
        RouteDecision route = h.job(job.id()).routing().route();
        assertThat(route.target()).isNull();
        assertThat(route.reasoning()).contains("no route is open").contains("scope LOCAL");

        FakeNode own = h.connect(plain("own", 1, Map.of()), true);
        assertThat(own.lastAssignment().jobId()).isEqualTo(job.id());
        assertThat(h.job(job.id()).routing().route().target()).isEqualTo(RouteDecision.LOCAL);
        assertThat(impostor.assignments()).isEmpty();
    }

    @Test
    void aHybridJobNeedingWhatOnlyARemoteNodeHasEscalatesAndSaysWhy() {
        FakeNode own = h.connect(plain("own", 4, Map.of()), true);
        FakeNode gpuBox = h.connect(hello("gpu-box", 4, List.of("echo", "cuda"), null, Map.of()), false);

        Job job = h.submit("{\"type\":\"echo\",\"requirements\":{\"capabilities\":[\"cuda\"]}}");

        assertThat(own.assignments()).isEmpty();
        assertThat(gpuBox.lastAssignment().jobId()).isEqualTo(job.id());
        RouteDecision route = h.job(job.id()).routing().route();
        assertThat(route.target()).isEqualTo(RouteDecision.FLEET);
        assertThat(route.reasoning())
                .startsWith("escalated to the network")
                .contains("local node own: missing capability cuda");
        assertThat(route.alternativeRoutes()).anySatisfy(a -> {
            assertThat(a.target()).isEqualTo(RouteDecision.LOCAL);
            assertThat(a.whyNot()).contains("missing capability cuda");
        });
    }

    @Test
    void aPeerMeshIsTakenOnlyWhenThisMeshCannotRunTheJob() {
        // The peer advertises far more room, so least-loaded alone would choose it.
        FakeNode peer = h.connect(plain("mesh-b", 64, Map.of(RouteStep.PEER_LABEL, "b")), false);
        FakeNode fleet = h.connect(plain("fleet-1", 1, Map.of()), false);

        Job first = h.submit("{\"type\":\"echo\",\"scope\":\"NETWORK\"}");
        assertThat(fleet.lastAssignment().jobId()).isEqualTo(first.id());
        assertThat(h.job(first.id()).routing().route().alternativeRoutes())
                .anySatisfy(a -> assertThat(a.whyNot()).contains("peer mesh is taken only when"));

        Job second = h.submit("{\"type\":\"echo\",\"scope\":\"NETWORK\"}");
        assertThat(peer.lastAssignment().jobId()).isEqualTo(second.id());
        RouteDecision route = h.job(second.id()).routing().route();
        assertThat(route.target()).isEqualTo(RouteDecision.PEER);
        assertThat(route.reasoning())
                .startsWith("escalated to peer mesh mesh-b")
                .contains("no free slot");
    }

    @Test
    void aJobGoesWhereItsMemoryFitsAndReservationsStopOverCommit() {
        FakeNode small = h.connect(hello("small", 8, List.of("echo"), new Resources(4, 4096, 0), Map.of()), true);
        FakeNode big = h.connect(hello("big", 8, List.of("echo"), new Resources(8, 16384, 0), Map.of()), false);
        String needs10g = "{\"type\":\"echo\",\"requirements\":{\"resources\":{\"memory_mb\":10000}}}";

        Job first = h.submit(needs10g);
        Job second = h.submit(needs10g);

        assertThat(small.assignments()).isEmpty();
        assertThat(big.assignments()).extracting(Message.AssignJob::jobId).containsExactly(first.id());
        Job waiting = h.job(second.id());
        assertThat(waiting.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(waiting.routing().candidates())
                .anySatisfy(c -> assertThat(c.rejectedBy()).startsWith("resources reserved by running jobs"));
        assertThat(waiting.routing().route().reasoning()).contains("local node small: insufficient resources");

        big.done(big.lastAssignment());
        assertThat(big.lastAssignment().jobId()).isEqualTo(second.id());
    }
}
