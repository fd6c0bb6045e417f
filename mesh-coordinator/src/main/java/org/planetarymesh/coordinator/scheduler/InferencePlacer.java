package org.planetarymesh.coordinator.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.Routing;
import org.planetarymesh.core.node.ModelState;

/**
 * Placement of {@code inference} jobs: only nodes that serve the job's model and have an inference slot; among them
 * the node that has the model loaded first (a cold model costs a load of seconds to minutes), then the one with the
 * fewest tokens queued, then the fewest inference jobs queued, then the highest measured tokens per second. The
 * routing record's {@code reason} says which of these decided, e.g. "model tiny is loaded on a; b has it cold".
 *
 * <p>Every node is considered (no sampling as in {@link ScoringPlacer}): meshes serving models are small, and the
 * warm node must not be missed because a sample left it out.
 */
final class InferencePlacer implements Placer {

    /** The job type this placer places. */
    static final String TYPE = "inference";

    /** Tokens a request that sets no {@code max_tokens} is assumed to generate, for queue estimates. */
    static final int ASSUMED_MAX_TOKENS = 256;

    private static final int KEPT_REJECTIONS = 5;
    private static final int KEPT_SCORED = 4;

    private static final Comparator<Option> BETTER_FIRST = Comparator.comparing((Option o) -> !o.loaded)
            .thenComparingLong(Option::queuedTokens)
            .thenComparingInt(Option::queuedJobs)
            .thenComparing(Comparator.comparingDouble(Option::tokensPerSecond).reversed())
            .thenComparing(o -> o.node.id);

    /** One eligible node as this policy sees it. */
    private record Option(
            NodeState node,
            boolean loaded,
            int inferenceRunning,
            long queuedTokens,
            int queuedJobs,
            double tokensPerSecond) {

        /** A score for the record: loaded counts most, then a shorter queue; the order itself is {@link #BETTER_FIRST}. */
        double score() {
            return (loaded ? 1.0 : 0.0) + 0.5 / (1.0 + queuedTokens / 1000.0);
        }
    }

    @Override
    public String name() {
        return "model-aware";
    }

    /** Whether {@code node} serves {@code model} now (its latest model states, see {@link NodeState#models}). */
    static boolean serves(NodeState node, String model) {
        return node.models().contains(model);
    }

    /** Whether {@code node} says {@code model} is loaded in its backend now. */
    static boolean loaded(NodeState node, String model) {
        if (node.modelStates == null) {
            return false;
        }
        for (ModelState state : node.modelStates) {
            if (state.id().equals(model)) {
                return state.loaded();
            }
        }
        return false;
    }

    @Override
    public Verdict place(Job job, Set<String> refusedBy, PlacementContext context) {
        String model = job.spec().requirements().model();
        List<Routing.Candidate> rejected = new ArrayList<>();
        List<Option> options = new ArrayList<>();
        for (NodeState node : context.nodes()) {
            String why = refusedBy.contains(node.id) ? "refused this job earlier" : Eligibility.rejection(job, node);
            Option option = why == null ? option(node, model, context) : null;
            if (why == null && node.maxInference > 0 && option.inferenceRunning >= node.maxInference) {
                why = Eligibility.NO_FREE_SLOT + " for inference (" + node.maxInference + " at once)";
            }
            if (why != null) {
                if (rejected.size() < KEPT_REJECTIONS) {
                    rejected.add(new Routing.Candidate(node.id, null, why));
                }
                continue;
            }
            options.add(option);
        }
        options.sort(BETTER_FIRST);
        List<Routing.Candidate> candidates = new ArrayList<>();
        List<String> runnersUp = new ArrayList<>();
        for (int i = 0; i < Math.min(options.size(), KEPT_SCORED); i++) {
            Option o = options.get(i);
            candidates.add(new Routing.Candidate(o.node.id, Math.round(o.score() * 1000) / 1000.0, null));
            if (i > 0) {
                runnersUp.add(o.node.id);
            }
        }
        candidates.addAll(rejected);
        NodeState winner = options.isEmpty() ? null : options.getFirst().node;
        Routing routing = new Routing(
                name(),
                winner == null ? null : winner.id,
                candidates,
                runnersUp,
                context.now(),
                reason(model, options));
        return winner == null ? new Verdict.Unplaced(routing) : new Verdict.Placed(winner, routing);
    }

    private static Option option(NodeState node, String model, PlacementContext context) {
        long tokens = 0;
        int jobs = 0;
        for (String id : node.running) {
            Job running = context.job(id);
            if (running != null && TYPE.equals(running.spec().type())) {
                jobs++;
                tokens += maxTokens(running.spec().payload());
            }
        }
        // The agent's own count covers work this coordinator does not see (another coordinator's, or just handed back).
        return new Option(
                node, loaded(node, model), jobs, tokens, Math.max(jobs, node.queueDepth), node.tokensPerSecond);
    }

    /** The most tokens a chat request asks for ({@code max_completion_tokens}, {@code max_tokens}), or the assumption. */
    static int maxTokens(JsonNode payload) {
        for (String field : List.of("max_completion_tokens", "max_tokens")) {
            JsonNode value = payload == null ? null : payload.get(field);
            if (value != null && value.canConvertToInt() && value.asInt() > 0) {
                return value.asInt();
            }
        }
        return ASSUMED_MAX_TOKENS;
    }

    /** Why the first option won, in words: the first criterion on which it beat the runner-up. */
    private static String reason(String model, List<Option> options) {
        if (options.isEmpty()) {
            return "no node serving model " + model + " can take it now";
        }
        Option best = options.getFirst();
        String loadedOn = best.loaded ? "model " + model + " is loaded on " + best.node.id : null;
        if (options.size() == 1) {
            return (loadedOn != null ? loadedOn : "model " + model + " is served (cold) only by " + best.node.id)
                    + "; no other node can take it";
        }
        Option next = options.get(1);
        List<String> cold =
                options.stream().filter(o -> !o.loaded).map(o -> o.node.id).toList();
        if (best.loaded && !next.loaded) {
            return loadedOn + "; " + String.join(", ", cold) + (cold.size() == 1 ? " has" : " have") + " it cold";
        }
        String state = best.loaded ? "loaded" : "cold";
        String prefix = "model " + model + " is " + state + " on " + best.node.id + " and " + next.node.id + "; ";
        if (best.queuedTokens != next.queuedTokens) {
            return prefix + best.node.id + " has fewer tokens queued (" + best.queuedTokens + " vs " + next.queuedTokens
                    + ")";
        }
        if (best.queuedJobs != next.queuedJobs) {
            return prefix + best.node.id + " has fewer jobs queued (" + best.queuedJobs + " vs " + next.queuedJobs
                    + ")";
        }
        if (best.tokensPerSecond != next.tokensPerSecond) {
            return prefix + best.node.id + " is faster ("
                    + String.format(Locale.ROOT, "%.0f vs %.0f tokens/s", best.tokensPerSecond, next.tokensPerSecond)
                    + ")";
        }
        return prefix + "equal queues and speed, the first by node id";
    }
}
