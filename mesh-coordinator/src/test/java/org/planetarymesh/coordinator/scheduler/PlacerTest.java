package org.planetarymesh.coordinator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.planetarymesh.coordinator.gateway.NodeLink;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpecParser;
import org.planetarymesh.core.job.Resources;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.protocol.Message;

/**
 * Placement on small and large meshes: full scoring up to {@link ScoringPlacer#SAMPLE} nodes, a rotating sample beyond (for
 * bin-packing, a sample that starts at the last winner).
 */
class PlacerTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final ScoringPlacer leastLoaded = new ScoringPlacer.LeastLoaded();

    @Test
    void aSmallMeshIsScoredWholeAndTheNodeWithMostFreeSlotsWins() {
        List<NodeState> nodes = nodes(10, "echo");
        for (int i = 0; i < nodes.size(); i++) {
            fill(nodes.get(i), i == 6 ? 0 : 2); // node-6 is the only one with all 4 slots free
        }

        Placer.Verdict decision = leastLoaded.decide(job("echo"), nodes, Set.of(), NOW);

        assertThat(decision.winner().id).isEqualTo("node-6");
        assertThat(decision.routing().candidates()).hasSize(4); // winner + 3 runners-up
    }

    @Test
    void aLargeMeshScoresASampleThatRotatesAndStrandsNoFreeSlot() {
        List<NodeState> nodes = nodes(200, "echo");
        Set<String> firstRound = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Placer.Verdict decision = leastLoaded.decide(job("echo"), nodes, Set.of(), NOW);
            firstRound.add(decision.winner().id);
            assertThat(decision.routing().candidates()).hasSizeLessThanOrEqualTo(4);
        }
        // Equal nodes: each sample's winner is its lowest id, and the sample moves on every decision.
        assertThat(firstRound).hasSizeGreaterThanOrEqualTo(200 / ScoringPlacer.SAMPLE);

        // Taking every slot through placement: the sample never misses a node with room.
        for (int i = 0; i < 200 * 4; i++) {
            NodeState winner =
                    leastLoaded.decide(job("echo"), nodes, Set.of(), NOW).winner();
            assertThat(winner).as("placement %d of %d", i, 800).isNotNull();
            fill(winner, 1);
        }
        assertThat(nodes).allSatisfy(node -> assertThat(node.freeSlots()).isZero());
        assertThat(leastLoaded.decide(job("echo"), nodes, Set.of(), NOW).winner())
                .isNull();
    }

    @Test
    void aRareEligibleNodeIsFoundWhereverTheSampleStarts() {
        List<NodeState> nodes = new ArrayList<>(nodes(100, "echo"));
        nodes.set(37, node("gpu-box", "gpu"));

        for (int i = 0; i < 30; i++) {
            leastLoaded.decide(job("echo"), nodes, Set.of(), NOW); // moves the sample's start around
            assertThat(leastLoaded.decide(job("gpu"), nodes, Set.of(), NOW).winner().id)
                    .isEqualTo("gpu-box");
        }
    }

    @Test
    void binPackTakesTheFullestNodeThatStillHasRoom() {
        List<NodeState> nodes = nodes(10, "echo");
        fill(nodes.get(2), 4); // full: not eligible
        fill(nodes.get(5), 3);
        fill(nodes.get(8), 1);

        Placer.Verdict decision = new ScoringPlacer.BinPack().decide(job("echo"), nodes, Set.of(), NOW);

        assertThat(decision.winner().id).isEqualTo("node-5");
        assertThat(decision.routing().policy()).isEqualTo("bin-pack");
        assertThat(decision.routing().runnersUp()).startsWith("node-8");
    }

    @Test
    void binPackOnALargeMeshFillsEachNodeBeforeTheNextAndStrandsNoFreeSlot() {
        List<NodeState> nodes = nodes(200, "echo");
        ScoringPlacer binPack = new ScoringPlacer.BinPack();
        List<String> winners = new ArrayList<>();
        for (int i = 0; i < 200 * 4; i++) {
            NodeState winner = binPack.decide(job("echo"), nodes, Set.of(), NOW).winner();
            assertThat(winner).as("placement %d of %d", i, 800).isNotNull();
            winners.add(winner.id);
            fill(winner, 1);
        }
        // The sample starts at the last winner, so a node takes all its 4 slots' worth in a row.
        for (int i = 0; i < winners.size(); i += 4) {
            assertThat(winners.subList(i, i + 4))
                    .as("placements %d to %d", i, i + 3)
                    .containsOnly(winners.get(i));
        }
        assertThat(nodes).allSatisfy(node -> assertThat(node.freeSlots()).isZero());
        assertThat(binPack.decide(job("echo"), nodes, Set.of(), NOW).winner()).isNull();
    }

    @Test
    void firstHealthyStillTakesTheFirstEligibleNodeInJoinOrder() {
        List<NodeState> nodes = nodes(100, "echo");
        fill(nodes.get(0), 4);
        ScoringPlacer firstHealthy = new ScoringPlacer.FirstHealthy();

        for (int i = 0; i < 5; i++) {
            assertThat(firstHealthy.decide(job("echo"), nodes, Set.of(), NOW).winner().id)
                    .isEqualTo("node-1");
        }
    }

    private static List<NodeState> nodes(int count, String type) {
        List<NodeState> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(node("node-" + i, type));
        }
        return nodes;
    }

    private static NodeState node(String id, String type) {
        Message.Hello hello = new Message.Hello(
                id,
                id,
                List.of(type),
                List.of(type),
                List.of(),
                4,
                new Resources(2, 1024, 0),
                Map.of(),
                null,
                null,
                null,
                List.of());
        return new NodeState(id, hello, new QuietLink(), NOW, 0);
    }

    private static void fill(NodeState node, int jobs) {
        for (int i = 0; i < jobs; i++) {
            node.running.add(node.id + "-job-" + node.running.size());
        }
    }

    private static Job job(String type) {
        return Job.submitted(
                "job-" + type,
                JobSpecParser.parse(Json.mapper().createObjectNode().put("type", type)),
                NOW);
    }

    /** Placement never sends; a link that records nothing is all a NodeState needs here. */
    private static final class QuietLink implements NodeLink {
        @Override
        public void send(Message message) {}

        @Override
        public void close(String reason) {}

        @Override
        public String mode() {
            return "websocket";
        }

        @Override
        public String address() {
            return "test";
        }
    }
}
