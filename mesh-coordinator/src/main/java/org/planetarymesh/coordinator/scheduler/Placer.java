package org.planetarymesh.coordinator.scheduler;

import java.util.Set;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.Routing;
import org.planetarymesh.core.protocol.Message;

/**
 * A placement policy: decides which node runs a job. A decision may take one call (score the nodes, pick one: see
 * {@link ScoringPlacer}) or span several loop turns (announce the job, collect the nodes' answers, award it), so an
 * auction is one more placer rather than a special case in the loop.
 *
 * <p>The {@link Dispatcher} offers each QUEUED job to its placer on the scheduler thread, while the mesh has a free
 * slot. A multi-turn placer answers {@link Verdict.Pending} with when to wake it; it keeps its own state per job, may
 * send messages through the {@link PlacementContext}, and learns of node messages the scheduler does not handle itself
 * through {@link #onMessage}. The job is offered again when the wake-up is due or when {@code onMessage} names it; the
 * placer then answers with the award ({@link Verdict.Placed}) or keeps waiting.
 */
interface Placer {

    /** The policy's wire name, e.g. {@code least-loaded}; it is recorded in the job's routing. */
    String name();

    /**
     * Decides where {@code job} goes, or how long it needs to. A {@link Verdict.Placed} node must accept work now
     * ({@link Eligibility}) and must not be in {@code refusedBy}.
     */
    Verdict place(Job job, Set<String> refusedBy, PlacementContext context);

    /**
     * A node's message that the scheduler does not handle itself (a bid, say); returns the id of a job to offer again
     * now, or null.
     */
    default String onMessage(NodeState from, Message message) {
        return null;
    }

    /** {@code jobId} needs no more deciding by this placer (placed, parked, cancelled): drop the decision's state. */
    default void forget(String jobId) {}

    /** {@code jobId} ended: drop anything still kept for it (an auction's runners-up, kept past the award). */
    default void ended(String jobId) {}

    /**
     * How long a node this placer chose has to acknowledge {@code assign_job}, and how often it is sent again before
     * the job is taken back and offered to this placer again; null: no acknowledgement is awaited.
     */
    default AckPolicy ackPolicy() {
        return null;
    }

    /** An acknowledgement deadline for assignments, and how many times an unacknowledged one is sent again. */
    record AckPolicy(long timeoutMs, int resends) {}

    /** A placer's answer for one job. */
    sealed interface Verdict {

        /** The node chosen, or null when none is (yet). */
        NodeState winner();

        /** The reasoning to store on the job, or null while still deciding. */
        Routing routing();

        /** Assign the job to {@code winner} now. */
        record Placed(NodeState winner, Routing routing) implements Verdict {}

        /**
         * No node can take the job now ({@code routing} says why); it is offered again when the set of nodes or
         * their free capacity changes.
         */
        record Unplaced(Routing routing) implements Verdict {
            @Override
            public NodeState winner() {
                return null;
            }
        }

        /** No node will ever take the job as asked ({@code error} says why, {@code routing} what was tried): it fails. */
        record Failed(Routing routing, org.planetarymesh.core.job.JobError error) implements Verdict {
            @Override
            public NodeState winner() {
                return null;
            }
        }

        /**
         * Still deciding: offer the job again when the monotonic clock reaches {@code wakeAtMillis}, or earlier when
         * {@link #onMessage} names it. A {@code routing} (not null) records how the decision stands so far (an
         * auction's closed rounds), so the job can say why it is not placed yet.
         */
        record Pending(long wakeAtMillis, Routing routing) implements Verdict {

            /** Still deciding, with nothing new to record on the job yet. */
            public Pending(long wakeAtMillis) {
                this(wakeAtMillis, null);
            }

            @Override
            public NodeState winner() {
                return null;
            }
        }
    }
}
