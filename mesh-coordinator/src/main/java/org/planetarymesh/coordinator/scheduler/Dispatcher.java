package org.planetarymesh.coordinator.scheduler;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.PlacementPolicy;
import org.planetarymesh.core.job.Routing;
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
    private final Placer inference = new InferencePlacer();
    /** Jobs a multi-turn placer is still deciding, with that placer. */
    private final Map<String, Placer> deciding = new HashMap<>();

    Dispatcher(
            JobTable jobs,
            ReadyQueue ready,
            NodeRegistry nodes,
            WriteBehind writes,
            TimerQueue timers,
            SchedulerClock clock) {
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
        // No auction placer yet: such a job is placed least-loaded, and its routing record names that policy.
        placers.put(PlacementPolicy.AUCTION, leastLoaded);
    }

    /** Places jobs that ask for {@code policy} with {@code placer} from now on. */
    void use(PlacementPolicy policy, Placer placer) {
        placers.put(policy, placer);
    }

    /** Places ready jobs while there is a free slot. */
    void dispatch() {
        if (ready.isEmpty() || nodes.freeSlots() <= 0) {
            return;
        }
        context.refresh();
        while (nodes.freeSlots() > 0 && !ready.isEmpty()) {
            Job job = ready.poll();
            if (job != null) {
                place(job);
            }
        }
    }

    private void place(Job job) {
        // Inference jobs go where their model is warm, whatever policy they name: the others know nothing of models.
        Placer placer = InferencePlacer.TYPE.equals(job.spec().type())
                ? inference
                : placers.get(job.spec().placement().policy());
        switch (placer.place(job, jobs.refusedBy(job.id()), context)) {
            case Placer.Verdict.Placed placed -> {
                forget(job.id());
                assign(job, placed.winner(), placed.routing(), context.now());
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
                deciding.put(job.id(), placer);
                timers.at(pending.wakeAtMillis(), Timer.Kind.PLACEMENT_WAKE, job.id(), job.attempt());
            }
        }
    }

    private static boolean sameReasoning(Routing before, Routing now) {
        return before != null
                && before.winner() == null
                && before.policy().equals(now.policy())
                && before.candidates().equals(now.candidates());
    }

    private void assign(Job job, NodeState node, Routing routing, Instant now) {
        Job assigned = job.assign(node.id, routing, now);
        nodes.takeSlot(node, job.id());
        if (job.spec().timeoutMs() != null) {
            timers.after(job.spec().timeoutMs(), Timer.Kind.ATTEMPT_TIMEOUT, job.id(), assigned.attempt());
        }
        Message.AssignJob frame = new Message.AssignJob(
                job.id(),
                assigned.attempt(),
                job.spec().type(),
                job.spec().payload(),
                job.spec().deadline(),
                job.spec().timeoutMs(),
                job.id() + "/" + assigned.attempt());
        // Written behind, and only if still due (see WriteBehind): the frame leaves now.
        writes.deferWrite(assigned);
        nodes.send(node, frame);
    }

    /** A multi-turn placer's wake-up for {@code job} is due: offer it again if that placer still decides it. */
    void wake(Job job) {
        if (deciding.containsKey(job.id())) {
            ready.offer(job);
        }
    }

    /** A node message the scheduler does not handle itself: the placers deciding jobs may be waiting for it. */
    void onMessage(NodeState from, Message message) {
        if (deciding.isEmpty()) {
            return;
        }
        for (Placer placer : java.util.Set.copyOf(deciding.values())) {
            String jobId = placer.onMessage(from, message);
            Job job = jobId == null ? null : jobs.get(jobId);
            if (job != null && deciding.get(jobId) == placer) {
                ready.offer(job);
            }
        }
    }

    /** {@code jobId} ended or was placed: a placer still deciding it drops it. */
    void forget(String jobId) {
        if (deciding.isEmpty()) {
            return;
        }
        Placer placer = deciding.remove(jobId);
        if (placer != null) {
            placer.forget(jobId);
        }
    }
}
