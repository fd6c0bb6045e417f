package org.planetarymesh.coordinator.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.Routing;

/**
 * A single-turn placement policy: picks a node for a job among the connected ones at once and says why.
 * Implementations differ only in how they score eligible nodes; filtering ({@link Eligibility}) and the record of
 * reasoning are shared here.
 */
abstract class ScoringPlacer implements Placer {

    /** How many rejected candidates a routing record keeps, so a 1,000-node mesh does not bloat every job. */
    private static final int KEPT_REJECTIONS = 5;

    private static final int KEPT_RUNNERS_UP = 3;

    /** Eligible nodes scored per job on a mesh larger than this (see {@link #place}). */
    static final int SAMPLE = 16;

    // Where the next sampled scan starts; placers are used by the scheduler thread only.
    private int cursor;

    private static final Comparator<Scored> BETTER_FIRST =
            Comparator.comparingDouble(Scored::score).reversed().thenComparing(s -> s.node.id);

    /** Higher is better. */
    abstract double score(NodeState node);

    /** Whether the first eligible node wins without scoring the rest (first-healthy). */
    boolean firstWins() {
        return false;
    }

    /**
     * Whether a sampled scan starts at the previous winner rather than after the previous sample: a policy that
     * prefers fuller nodes must see the node it just filled again, or its next sample would hold only emptier ones.
     */
    boolean startsAtLastWinner() {
        return false;
    }

    @Override
    public final Verdict place(Job job, Set<String> refusedBy, PlacementContext context) {
        return decide(job, context.nodes(), refusedBy, context.now());
    }

    /**
     * Places {@code job} among {@code nodes} (in join order; a list, so that a sampled scan starts at its position
     * rather than walking up to it: that walk was most of the placing cost on a 1,000-node mesh).
     */
    final Verdict decide(Job job, List<NodeState> nodes, Set<String> refusedBy, Instant now) {
        List<Routing.Candidate> rejected = new ArrayList<>();
        // The best KEPT_RUNNERS_UP + 1 eligible nodes, best first: one pass, no sort of every node (1,000-node meshes).
        List<Scored> best = new ArrayList<>(KEPT_RUNNERS_UP + 2);
        // On a large mesh only SAMPLE eligible nodes are scored, starting where the previous job's scan stopped (as
        // Nomad limits batch placement to a few feasible nodes): placing stays O(sample) per job instead of O(nodes),
        // and the rotation spreads jobs over every node.
        int n = nodes.size();
        boolean sampled = !firstWins() && n > SAMPLE;
        int start = sampled ? Math.floorMod(cursor, n) : 0;
        int eligible = 0;
        for (int k = 0; k < n; k++) {
            int at = start + k < n ? start + k : start + k - n; // from start to the end, then from the beginning
            NodeState node = nodes.get(at);
            String why = refusedBy.contains(node.id) ? "refused this job earlier" : Eligibility.rejection(job, node);
            if (why != null) {
                if (rejected.size() < KEPT_REJECTIONS) {
                    rejected.add(new Routing.Candidate(node.id, null, why));
                }
                continue;
            }
            keepBest(best, new Scored(node, firstWins() ? 1.0 : score(node), at));
            eligible++;
            if (firstWins() || (sampled && eligible >= SAMPLE)) {
                cursor = at + 1;
                break;
            }
        }
        List<Routing.Candidate> candidates = new ArrayList<>();
        List<String> runnersUp = new ArrayList<>();
        for (int i = 0; i < best.size(); i++) {
            Scored s = best.get(i);
            candidates.add(new Routing.Candidate(s.node.id, round(s.score), null));
            if (i > 0) {
                runnersUp.add(s.node.id);
            }
        }
        candidates.addAll(rejected);
        NodeState winner = best.isEmpty() ? null : best.getFirst().node;
        if (sampled && winner != null && startsAtLastWinner()) {
            cursor = best.getFirst().index;
        }
        Routing routing = new Routing(name(), winner == null ? null : winner.id, candidates, runnersUp, now);
        return winner == null ? new Verdict.Unplaced(routing) : new Verdict.Placed(winner, routing);
    }

    /** Inserts {@code scored} into {@code best} (highest score first, then node id) if it is among the best kept. */
    private static void keepBest(List<Scored> best, Scored scored) {
        int at = best.size();
        while (at > 0 && BETTER_FIRST.compare(scored, best.get(at - 1)) < 0) {
            at--;
        }
        if (at <= KEPT_RUNNERS_UP) {
            best.add(at, scored);
            if (best.size() > KEPT_RUNNERS_UP + 1) {
                best.removeLast();
            }
        }
    }

    private static double round(double score) {
        return Math.round(score * 1000) / 1000.0;
    }

    /** A scored node and its position in the scan, so a policy can start its next sample there. */
    private record Scored(NodeState node, double score, int index) {}

    /** The simplest policy: the first healthy node (in join order) with room. */
    static final class FirstHealthy extends ScoringPlacer {
        @Override
        public String name() {
            return "first-healthy";
        }

        @Override
        double score(NodeState node) {
            return 1.0;
        }

        @Override
        boolean firstWins() {
            return true;
        }
    }

    /**
     * Bin-packing: the node with the smallest share of free slots that still has one, so nodes fill before others
     * open (Nomad's default). On a sampled mesh the scan starts at the previous winner, so a node keeps taking work
     * until it is full; a short job's assignments then share a frame to one node instead of one frame per node.
     */
    static final class BinPack extends ScoringPlacer {
        @Override
        public String name() {
            return "bin-pack";
        }

        @Override
        double score(NodeState node) {
            return 1.0 - (double) node.freeSlots() / Math.max(1, node.hello.maxConcurrent());
        }

        @Override
        boolean startsAtLastWinner() {
            return true;
        }
    }

    /** The default: the node with the largest share of free slots, lightly penalised by reported load. */
    static final class LeastLoaded extends ScoringPlacer {
        @Override
        public String name() {
            return "least-loaded";
        }

        @Override
        double score(NodeState node) {
            double free = (double) node.freeSlots() / Math.max(1, node.hello.maxConcurrent());
            return free - 0.01 * Math.min(node.load, 10);
        }
    }
}
