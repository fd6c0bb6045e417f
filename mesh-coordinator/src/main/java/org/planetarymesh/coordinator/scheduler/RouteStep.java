package org.planetarymesh.coordinator.scheduler;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.planetarymesh.coordinator.router.RouteOption;
import org.planetarymesh.coordinator.router.Router;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.NetworkProps;
import org.planetarymesh.core.job.RouteDecision;
import org.planetarymesh.core.job.Routing;
import org.planetarymesh.core.protocol.Message;

/**
 * Puts the {@link Router} after a placement policy: gathers the options (this mesh's own nodes and peer meshes, all
 * of them, being few; fleet nodes as the policy scored them), lets the router pick the kind of target, and records its
 * decision on the job's routing. Lives on the scheduler thread.
 */
final class RouteStep {

    /** The label a peer link's node carries: the name of the mesh behind it. Only orders routes, never widens scope. */
    static final String PEER_LABEL = "mesh.peer";

    private final Router router = new Router();
    private List<NodeState> seenOrder = List.of();
    private List<NodeState> localAndPeers = List.of();
    // Decisions of a mesh without local nodes or peers, by scope, deadline and winner (a few per fleet node).
    private static final int MAX_CACHED = 4096;
    private final java.util.Map<String, Router.Choice> fleetChoices = new java.util.HashMap<>();

    static String targetOf(NodeState node) {
        if (node.link.local()) {
            return RouteDecision.LOCAL;
        }
        return node.hello.labels().containsKey(PEER_LABEL) ? RouteDecision.PEER : RouteDecision.FLEET;
    }

    /** The assignment as {@code node} needs it: a peer link also gets what it hands on to the mesh behind it. */
    static Message.AssignJob forNode(NodeState node, Job job, Message.AssignJob assignment) {
        if (!RouteDecision.PEER.equals(targetOf(node))) {
            return assignment;
        }
        return new Message.AssignJob(
                assignment.jobId(),
                assignment.attempt(),
                assignment.jobType(),
                assignment.payload(),
                assignment.deadline(),
                assignment.timeoutMs(),
                assignment.assignmentId(),
                assignment.specCid(),
                new Message.Forward(
                        job.spec().requirements(),
                        job.spec().scope(),
                        job.spec().network()));
    }

    /** Why a peer node cannot take a job that already made its issuer's most hops, or null. */
    static String hopLimit(Job job, NodeState node) {
        NetworkProps network = job.spec().network();
        if (network == null || network.hops() < network.maxHops() || !RouteDecision.PEER.equals(targetOf(node))) {
            return null;
        }
        return "max hops reached (" + network.hops() + " of " + network.maxHops() + "): it may not go to another mesh";
    }

    /**
     * The verdict with the router's decision on its routing; a peer winner gives way to an open node of this mesh
     * unless {@code keepWinner} (an auction's award, a model-aware choice: their own reasons decide).
     */
    Placer.Verdict route(
            Job job, Set<String> refusedBy, Placer.Verdict verdict, PlacementContext context, boolean keepWinner) {
        Routing routing = verdict.routing();
        if (routing == null || verdict instanceof Placer.Verdict.Pending) {
            return verdict;
        }
        String placerWinner = verdict.winner() == null ? null : verdict.winner().id;
        Router.Choice choice = placerWinner != null && localAndPeers(context).isEmpty()
                ? fleetOnly(job, placerWinner)
                : router.decide(
                        job.spec().scope(),
                        placerWinner,
                        options(job, refusedBy, routing, context),
                        job.spec().deadline() != null);
        if (keepWinner || choice.nodeId() == null || choice.nodeId().equals(placerWinner)) {
            Routing routed = routing.withRoute(choice.decision());
            return switch (verdict) {
                case Placer.Verdict.Placed p -> new Placer.Verdict.Placed(p.winner(), routed);
                case Placer.Verdict.Unplaced u -> new Placer.Verdict.Unplaced(routed);
                case Placer.Verdict.Failed f -> new Placer.Verdict.Failed(routed, f.error());
                case Placer.Verdict.Pending p -> p;
            };
        }
        NodeState chosen = context.node(choice.nodeId());
        return new Placer.Verdict.Placed(chosen, rewon(routing, chosen.id, choice.decision()));
    }

    /** The routing with {@code winner} as the winner (a candidate, listed if the policy's scan had not reached it). */
    private static Routing rewon(Routing routing, String winner, RouteDecision decision) {
        List<Routing.Candidate> candidates = new ArrayList<>(routing.candidates());
        if (candidates.stream().noneMatch(c -> c.nodeId().equals(winner))) {
            candidates.addFirst(new Routing.Candidate(winner, null, null));
        }
        List<String> runnersUp = candidates.stream()
                .filter(c -> c.score() != null && !c.nodeId().equals(winner))
                .map(Routing.Candidate::nodeId)
                .toList();
        return new Routing(
                routing.policy(),
                winner,
                candidates,
                runnersUp,
                routing.decidedAt(),
                routing.auction(),
                routing.reason(),
                decision);
    }

    /**
     * The decision when this mesh has no local node and no peer: the policy's fleet winner, with the reasoning and
     * closed routes that depend on nothing else, so it is made once per winner, scope and deadline and reused (most
     * jobs of a fleet take this path, and the scheduler thread builds no strings for them).
     */
    private Router.Choice fleetOnly(Job job, String winner) {
        boolean deadline = job.spec().deadline() != null;
        String key = job.spec().scope().name() + (deadline ? "+" : "-") + winner;
        Router.Choice cached = fleetChoices.get(key);
        if (cached == null) {
            cached = router.decide(
                    job.spec().scope(), winner, List.of(new RouteOption(winner, RouteDecision.FLEET, null)), deadline);
            if (fleetChoices.size() > MAX_CACHED) {
                fleetChoices.clear();
            }
            fleetChoices.put(key, cached);
        }
        return cached;
    }

    private List<RouteOption> options(Job job, Set<String> refusedBy, Routing routing, PlacementContext context) {
        List<RouteOption> options = new ArrayList<>();
        Set<String> listed = new LinkedHashSet<>();
        for (NodeState node : localAndPeers(context)) {
            String why = refusedBy.contains(node.id) ? "refused this job earlier" : Eligibility.rejection(job, node);
            options.add(new RouteOption(node.id, targetOf(node), why));
            listed.add(node.id);
        }
        for (Routing.Candidate c : routing.candidates()) {
            NodeState node = context.node(c.nodeId());
            if (node != null && listed.add(node.id)) {
                options.add(new RouteOption(node.id, targetOf(node), c.score() != null ? null : c.rejectedBy()));
            }
        }
        return options;
    }

    /** The local and peer nodes, recomputed only when a node joined or left (the placement order is a new list). */
    private List<NodeState> localAndPeers(PlacementContext context) {
        List<NodeState> order = context.nodes();
        if (order != seenOrder) {
            seenOrder = order;
            localAndPeers = order.stream()
                    .filter(n -> !RouteDecision.FLEET.equals(targetOf(n)))
                    .toList();
        }
        return localAndPeers;
    }
}
