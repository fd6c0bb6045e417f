package org.planetarymesh.coordinator.scheduler;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.PlacementPolicy;
import org.planetarymesh.core.job.Routing;
import org.planetarymesh.core.job.Scope;
import org.planetarymesh.core.protocol.Message;

/**
 * Takes ready jobs while the mesh has free slots, asks each job's {@link Placer} where it goes, and assigns it: the
 * {@code assign_job} frame leaves in this turn, its ASSIGNED state is written behind ({@link WriteBehind}).
 */
final class Dispatcher {

    private final JobTable jobs;
    private final ReadyQueue ready;
    private final NodeRegistry nodes;
    private final WriteBehind writes;
    private final TimerQueue timers;
    private final PlacementContext context;
    private final Map<PlacementPolicy, Placer> placers = new EnumMap<>(PlacementPolicy.class);
    /** Each placer once, for node messages and ended jobs. */
    private List<Placer> distinct = List.of();

    private final Placer inference = new InferencePlacer();
    /** Jobs a multi-turn placer is still deciding, with that placer; each holds back one free slot meanwhile. */
    private final Map<String, Placer> deciding = new HashMap<>();
    /** Deciding jobs to offer again this turn (a wake-up came, or a node message completed the answers). */
    private final Set<String> due = new LinkedHashSet<>();
    /** Assignments awaiting their acknowledgement, with how many times they were sent again. */
    private final Map<String, Integer> resent = new HashMap<>();

    private final Map<String, Placer.AckPolicy> awaitingAck = new HashMap<>();
    private BiConsumer<Job, JobError> failer = (job, error) -> {};
    private boolean auctionNetworkJobs;

    private final Receipts receipts;
    private final Replicas replicas;
    private final RouteStep router = new RouteStep();

    Dispatcher(
            JobTable jobs,
            ReadyQueue ready,
            NodeRegistry nodes,
            WriteBehind writes,
            TimerQueue timers,
            Receipts receipts,
            Replicas replicas,
            SchedulerClock clock) {
        this.receipts = receipts;
        this.replicas = replicas;
        this.jobs = jobs;
        this.ready = ready;
        this.nodes = nodes;
        this.writes = writes;
        this.timers = timers;
        this.context = new PlacementContext(nodes, jobs, clock);
        Placer leastLoaded = new ScoringPlacer.LeastLoaded();
        placers.put(PlacementPolicy.LEAST_LOADED, leastLoaded);
        placers.put(PlacementPolicy.FIRST_HEALTHY, new ScoringPlacer.FirstHealthy());
        placers.put(PlacementPolicy.BIN_PACK, new ScoringPlacer.BinPack());
        // Until an auction placer is installed (the Scheduler does), such a job is placed least-loaded.
        placers.put(PlacementPolicy.AUCTION, leastLoaded);
        distinct = List.copyOf(new LinkedHashSet<>(placers.values()));
    }

    /** Places jobs that ask for {@code policy} with {@code placer} from now on. */
    void use(PlacementPolicy policy, Placer placer) {
        placers.put(policy, placer);
        distinct = List.copyOf(new LinkedHashSet<>(placers.values()));
    }

    /** A placer answered that a job can never be placed: {@code failer} ends it so. */
    void whenFailed(BiConsumer<Job, JobError> value) {
        this.failer = value;
    }

    /** Whether every scope-NETWORK job is auctioned, whatever placement it asks for. */
    void auctionNetworkJobs(boolean value) {
        this.auctionNetworkJobs = value;
    }

    /**
     * Offers again the deciding jobs that are due, then places ready jobs while there is a free slot not held back by
     * a decision in progress (an open auction will need one when it awards).
     */
    void dispatch() {
        if (!due.isEmpty()) {
            context.refresh();
            List<String> now = List.copyOf(due);
            due.clear();
            for (String id : now) {
                Job job = jobs.get(id);
                if (job != null && job.status() == JobStatus.QUEUED && deciding.containsKey(id)) {
                    place(job);
                }
            }
        }
        if (ready.isEmpty() || nodes.freeSlots() <= deciding.size()) {
            return;
        }
        context.refresh();
        while (nodes.freeSlots() > deciding.size() && !ready.isEmpty()) {
            Job job = ready.poll();
            if (job != null) {
                place(job);
            }
        }
    }

    private Placer placerOf(Job job) {
        Placer placer = deciding.get(job.id());
        if (placer != null) {
            return placer;
        }
        // Inference jobs go where their model is warm, whatever policy they name: the others know nothing of models.
        if (InferencePlacer.TYPE.equals(job.spec().type())) {
            return inference;
        }
        if (auctionNetworkJobs && job.spec().scope() == Scope.NETWORK) {
            return placers.get(PlacementPolicy.AUCTION);
        }
        return placers.get(job.spec().placement().policy());
    }

    /** The scoring policy a job names: the router may move its choice off a peer (not an auction's or a model's). */
    private Placer defaultPlacer(Job job) {
        Placer named = placers.get(job.spec().placement().policy());
        return named instanceof ScoringPlacer ? named : null;
    }

    private void place(Job job) {
        Placer placer = placerOf(job);
        Set<String> excluded = excluded(job);
        Placer.Verdict verdict = placer.place(job, excluded, context);
        switch (router.route(job, excluded, verdict, context, placer != defaultPlacer(job))) {
            case Placer.Verdict.Placed placed -> {
                forget(job.id());
                assign(job, placed.winner(), placed.routing(), context.now(), placer.ackPolicy());
            }
            case Placer.Verdict.Failed failed -> {
                forget(job.id());
                failer.accept(job.withRouting(failed.routing()), failed.error());
            }
            case Placer.Verdict.Unplaced unplaced -> {
                forget(job.id());
                Job withReasons = job.withRouting(unplaced.routing());
                jobs.track(withReasons);
                if (!sameReasoning(job.routing(), unplaced.routing())) {
                    // "why not placed" must be readable through the API, which reads the store; written only when
                    // the reasoning changes, so a job that stays parked costs no further writes
                    writes.commitEvents(List.of(), List.of(withReasons));
                }
                ready.park(job);
            }
            case Placer.Verdict.Pending pending -> {
                if (pending.routing() != null) {
                    Job withReasons = job.withRouting(pending.routing());
                    jobs.track(withReasons);
                    writes.commitEvents(List.of(), List.of(withReasons));
                }
                deciding.put(job.id(), placer);
                timers.at(pending.wakeAtMillis(), Timer.Kind.PLACEMENT_WAKE, job.id(), job.attempt());
            }
        }
    }

    /** The nodes {@code job} may not go to: those that refused it, and a replica's siblings' nodes. */
    private Set<String> excluded(Job job) {
        Set<String> refused = jobs.refusedBy(job.id());
        if (job.spec().parentId() == null) {
            return refused;
        }
        Set<String> siblings = replicas.siblingNodes(job);
        if (siblings.isEmpty()) {
            return refused;
        }
        Set<String> both = new java.util.HashSet<>(refused);
        both.addAll(siblings);
        return both;
    }

    private static boolean sameReasoning(Routing before, Routing now) {
        return before != null
                && before.winner() == null
                && before.policy().equals(now.policy())
                && before.candidates().equals(now.candidates());
    }

    private void assign(Job job, NodeState node, Routing routing, Instant now, Placer.AckPolicy ack) {
        Job assigned = job.assign(node.id, routing, now);
        nodes.takeSlot(node, job.id());
        node.reservations.reserve(job.id(), job.spec().requirements().resources());
        if (job.spec().timeoutMs() != null) {
            timers.after(job.spec().timeoutMs(), Timer.Kind.ATTEMPT_TIMEOUT, job.id(), assigned.attempt());
        }
        String specCid = receipts.expect(job, assigned.attempt(), node);
        if (ack != null) {
            awaitingAck.put(job.id(), ack);
            resent.put(job.id(), 0);
            timers.after(ack.timeoutMs(), Timer.Kind.ACK_TIMEOUT, job.id(), assigned.attempt());
        }
        // Written behind, and only if still due (see WriteBehind): the frame leaves now.
        writes.deferWrite(assigned);
        nodes.send(node, RouteStep.forNode(node, assigned, assignment(assigned, specCid)));
    }

    private static Message.AssignJob assignment(Job assigned, String specCid) {
        return new Message.AssignJob(
                assigned.id(),
                assigned.attempt(),
                assigned.spec().type(),
                assigned.spec().payload(),
                assigned.spec().deadline(),
                assigned.spec().timeoutMs(),
                assigned.id() + "/" + assigned.attempt(),
                specCid);
    }

    /**
     * {@code job} is still ASSIGNED at its acknowledgement deadline: sends {@code assign_job} again and returns true
     * while its placer allows another send; false when the node has had every chance (the caller takes the job back).
     */
    boolean resendUnacknowledged(Job job) {
        Placer.AckPolicy ack = awaitingAck.get(job.id());
        NodeState node = nodes.get(job.nodeId());
        int sends = resent.merge(job.id(), 1, Integer::sum);
        if (ack == null || node == null || sends > ack.resends()) {
            awaitingAck.remove(job.id());
            resent.remove(job.id());
            return false;
        }
        nodes.send(node, assignment(job, receipts.told(job.id())));
        timers.after(ack.timeoutMs(), Timer.Kind.ACK_TIMEOUT, job.id(), job.attempt());
        return true;
    }

    /** The acknowledgement deadline of {@code jobId}'s current assignment, for messages (0: none). */
    long ackTimeoutMs(String jobId) {
        Placer.AckPolicy ack = awaitingAck.get(jobId);
        return ack == null ? 0 : ack.timeoutMs();
    }

    /** A multi-turn placer's wake-up for {@code job} is due: offer it again if that placer still decides it. */
    void wake(Job job) {
        if (deciding.containsKey(job.id())) {
            due.add(job.id());
        }
    }

    /** A node message the scheduler does not handle itself: the placers deciding jobs may be waiting for it. */
    void onMessage(NodeState from, Message message) {
        if (deciding.isEmpty()) {
            return;
        }
        for (Placer placer : distinct) {
            String jobId = placer.onMessage(from, message);
            if (jobId != null && deciding.get(jobId) == placer) {
                due.add(jobId);
            }
        }
    }

    /** {@code jobId} was placed or parked: a placer still deciding it drops the decision. */
    void forget(String jobId) {
        if (deciding.isEmpty()) {
            return;
        }
        Placer placer = deciding.remove(jobId);
        if (placer != null) {
            placer.forget(jobId);
        }
    }

    /** {@code jobId} ended: nothing is kept for it any more. */
    void ended(String jobId) {
        forget(jobId);
        if (!awaitingAck.isEmpty()) {
            awaitingAck.remove(jobId);
            resent.remove(jobId);
        }
        for (Placer placer : distinct) {
            placer.ended(jobId);
        }
    }
}
