package org.planetarymesh.coordinator.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.Routing;

/**
 * Where ended jobs went and why, since start: jobs per placement policy, per node that ran them, the reasons nodes
 * were passed over, and the last {@value #RECENT} decisions in full. Fed by {@link DashboardStats#ended}.
 */
final class RoutingLog {

    static final int RECENT = 50;

    private final Map<String, LongAdder> byPolicy = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byNode = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejections = new ConcurrentHashMap<>();
    private final ArrayDeque<Decision> recent = new ArrayDeque<>();

    void record(Job job) {
        Routing routing = job.routing();
        String policy = routing == null || routing.policy() == null ? "none" : routing.policy();
        byPolicy.computeIfAbsent(policy, p -> new LongAdder()).increment();
        String node = job.nodeId() != null ? job.nodeId() : routing == null ? null : routing.winner();
        byNode.computeIfAbsent(node == null ? "(no node)" : node, n -> new LongAdder())
                .increment();
        if (routing != null) {
            for (Routing.Candidate candidate : routing.candidates()) {
                if (candidate.rejectedBy() != null) {
                    rejections
                            .computeIfAbsent(candidate.rejectedBy(), r -> new LongAdder())
                            .increment();
                }
            }
        }
        Decision decision = new Decision(
                job.id(),
                job.spec().type(),
                job.spec().scope() == null ? null : job.spec().scope().name(),
                job.status().name(),
                policy,
                node,
                routing == null ? List.of() : routing.runnersUp(),
                routing == null ? List.of() : routing.candidates());
        synchronized (recent) {
            recent.addFirst(decision);
            if (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
    }

    /** Jobs per placement policy, most first. */
    Map<String, Long> byPolicy() {
        return sorted(byPolicy);
    }

    /** Jobs per node that ran them, most first. */
    Map<String, Long> byNode() {
        return sorted(byNode);
    }

    /** How often each filter passed a node over, most first. */
    Map<String, Long> rejections() {
        return sorted(rejections);
    }

    /** The latest decisions, newest first. */
    List<Decision> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    private static Map<String, Long> sorted(Map<String, LongAdder> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().sum()))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** One job's placement as it ended: the policy, the node that ran it, the runners-up and every candidate. */
    record Decision(
            String jobId,
            String type,
            String scope,
            String status,
            String policy,
            String node,
            List<String> runnersUp,
            List<Routing.Candidate> candidates) {}
}
