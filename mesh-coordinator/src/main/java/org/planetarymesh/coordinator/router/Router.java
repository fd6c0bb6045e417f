package org.planetarymesh.coordinator.router;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.job.RouteDecision;
import org.planetarymesh.core.job.RouteDecision.Alternative;
import org.planetarymesh.core.job.Scope;

/**
 * Decides the kind of target a job runs on (this mesh's own machine, its fleet, a peer mesh) and says why, with the
 * routes it did not take. The node within a kind is the placement policy's choice; the router only overrides it to
 * keep a job inside this mesh when it can run here: a peer mesh is an escalation, one more hop and a foreign
 * operator, taken only when no node of this mesh the job's scope allows can take it now.
 */
public final class Router {

    /** How many rejections a closed route names before it says "and N more". */
    private static final int NAMED = 3;

    /** The routes a scope allows, in the order the router prefers them. */
    static List<String> allowed(Scope scope) {
        return switch (scope) {
            case LOCAL -> List.of(RouteDecision.LOCAL);
            case NETWORK -> List.of(RouteDecision.FLEET, RouteDecision.PEER);
            case HYBRID -> List.of(RouteDecision.LOCAL, RouteDecision.FLEET, RouteDecision.PEER);
        };
    }

    /**
     * The route for a job of {@code scope} given every option considered and the placement policy's winner (null when
     * it found none). Returns the node to run it on (the policy's winner unless that is a peer and an own node is
     * open; null when nothing is open) with the decision to record.
     */
    public Choice decide(Scope scope, String placerWinner, List<RouteOption> options, boolean hasDeadline) {
        Map<String, List<RouteOption>> byTarget = new LinkedHashMap<>();
        for (String target : List.of(RouteDecision.LOCAL, RouteDecision.FLEET, RouteDecision.PEER)) {
            byTarget.put(target, new ArrayList<>());
        }
        RouteOption winner = null;
        for (RouteOption option : options) {
            byTarget.get(option.target()).add(option);
            if (option.nodeId().equals(placerWinner)) {
                winner = option;
            }
        }
        List<String> allowed = allowed(scope);
        RouteOption chosen = winner;
        if (winner == null || RouteDecision.PEER.equals(winner.target())) {
            RouteOption own = firstOpen(byTarget, allowed, false);
            if (own != null) {
                chosen = own;
            } else if (winner == null) {
                chosen = firstOpen(byTarget, allowed, true);
            }
        }
        String target = chosen == null ? null : chosen.target();
        String reasoning = reasoning(scope, chosen, byTarget, hasDeadline);
        List<Alternative> alternatives = new ArrayList<>();
        for (Map.Entry<String, List<RouteOption>> route : byTarget.entrySet()) {
            if (!route.getKey().equals(target)) {
                alternatives.add(alternative(scope, route.getKey(), route.getValue(), target));
            }
        }
        return new Choice(chosen == null ? null : chosen.nodeId(), new RouteDecision(target, reasoning, alternatives));
    }

    private static RouteOption firstOpen(Map<String, List<RouteOption>> byTarget, List<String> allowed, boolean peers) {
        for (String target : allowed) {
            if (RouteDecision.PEER.equals(target) != peers) {
                continue;
            }
            for (RouteOption option : byTarget.get(target)) {
                if (option.open()) {
                    return option;
                }
            }
        }
        return null;
    }

    private static String reasoning(
            Scope scope, RouteOption chosen, Map<String, List<RouteOption>> byTarget, boolean hasDeadline) {
        if (chosen == null) {
            return "no route is open now, so the job waits: " + closedRoutes(scope, byTarget, List.of());
        }
        String local = closed(byTarget.get(RouteDecision.LOCAL));
        return switch (chosen.target()) {
            case RouteDecision.LOCAL ->
                "runs on this mesh's own machine: local node " + chosen.nodeId()
                        + " has the capabilities and free resources, and no network hop is needed";
            case RouteDecision.FLEET ->
                scope == Scope.NETWORK
                        ? "scope NETWORK: fleet node " + chosen.nodeId() + " can run it"
                        : byTarget.get(RouteDecision.LOCAL).isEmpty()
                                ? "fleet node " + chosen.nodeId()
                                        + " chosen by the placement policy (this mesh has no local node)"
                                : local == null
                                        ? "fleet node " + chosen.nodeId()
                                                + " chosen by the placement policy; this machine could run it too"
                                        : "escalated to the network: " + local + busyNote(byTarget, hasDeadline)
                                                + "; fleet node " + chosen.nodeId() + " can run it";
            default ->
                "escalated to peer mesh " + chosen.nodeId() + ": "
                        + closedRoutes(scope, byTarget, List.of(RouteDecision.PEER));
        };
    }

    private static String busyNote(Map<String, List<RouteOption>> byTarget, boolean hasDeadline) {
        boolean busy = byTarget.get(RouteDecision.LOCAL).stream()
                .anyMatch(o -> o.rejection() != null && o.rejection().startsWith("no free slot"));
        return busy && hasDeadline ? " (the job has a deadline, so it does not wait for a local slot)" : "";
    }

    /** What closed every allowed route but those in {@code skip}. */
    private static String closedRoutes(Scope scope, Map<String, List<RouteOption>> byTarget, List<String> skip) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<RouteOption>> route : byTarget.entrySet()) {
            String target = route.getKey();
            if (skip.contains(target)) {
                continue;
            }
            if (!allowed(scope).contains(target)) {
                parts.add(target + ": not allowed by scope " + scope);
            } else if (route.getValue().isEmpty()) {
                parts.add(target + ": no such node is connected");
            } else {
                String why = closed(route.getValue());
                parts.add(why == null ? target + ": open" : why);
            }
        }
        return String.join("; ", parts);
    }

    /** Why no option of one route is open (each rejection named), or null when one is. */
    static String closed(List<RouteOption> options) {
        if (options.isEmpty()) {
            return null;
        }
        if (options.stream().anyMatch(RouteOption::open)) {
            return null;
        }
        List<String> named = new ArrayList<>();
        for (RouteOption option : options.subList(0, Math.min(NAMED, options.size()))) {
            named.add(option.target() + " node " + option.nodeId() + ": " + option.rejection());
        }
        String more = options.size() > NAMED ? "; and " + (options.size() - NAMED) + " more" : "";
        return String.join("; ", named) + more;
    }

    private static Alternative alternative(Scope scope, String target, List<RouteOption> options, String taken) {
        List<String> nodes = options.stream().map(RouteOption::nodeId).toList();
        if (!allowed(scope).contains(target)) {
            return new Alternative(target, nodes, "not allowed by scope " + scope);
        }
        if (options.isEmpty()) {
            return new Alternative(target, nodes, "no such node is connected");
        }
        String closed = closed(options);
        if (closed != null) {
            return new Alternative(target, nodes, closed);
        }
        if (RouteDecision.PEER.equals(target)) {
            return new Alternative(target, nodes, "open, but a peer mesh is taken only when this mesh cannot run it");
        }
        return new Alternative(
                target, nodes, taken == null ? "open" : "open, but the placement policy preferred the " + taken);
    }

    /** The node to run the job on (null: none now) and the decision to record. */
    public record Choice(String nodeId, RouteDecision decision) {}
}
