package org.planetarymesh.coordinator.scheduler;

import java.util.Set;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.job.JobStatus;

/**
 * A job's way through the scheduler: admission (waiting for its start time or on dependencies, or ready), and the bookkeeping every state
 * change needs: the job table, its write, the ready queue, and the jobs that depend on one that ended.
 */
final class JobLifecycle {

    private final JobTable jobs;
    private final ReadyQueue ready;
    private final WriteBehind writes;
    private final Dependencies dependencies;
    private final Dispatcher dispatcher;
    private final Receipts receipts;
    private final TimerQueue timers;
    private final SchedulerClock clock;
    private final DelayedStarts delayed;
    private final Replicas replicas;

    JobLifecycle(
            JobTable jobs,
            ReadyQueue ready,
            WriteBehind writes,
            Dependencies dependencies,
            Dispatcher dispatcher,
            Receipts receipts,
            TimerQueue timers,
            SchedulerClock clock,
            Replicas replicas) {
        this.replicas = replicas;
        this.jobs = jobs;
        this.ready = ready;
        this.writes = writes;
        this.dependencies = dependencies;
        this.dispatcher = dispatcher;
        this.receipts = receipts;
        this.timers = timers;
        this.clock = clock;
        this.delayed = new DelayedStarts(timers, clock);
    }

    /** A stored job the scheduler takes charge of: it waits on its dependencies, or is ready to place. */
    void admit(Job job) {
        jobs.track(job);
        if (job.spec().deadline() != null) {
            timers.atWallTime(job.spec().deadline(), Timer.Kind.DEADLINE, job.id(), 0);
        }
        switch (job.status()) {
            case PENDING -> {
                if (!delayed.holds(job)) {
                    awaitDependencies(job);
                }
            }
            case QUEUED -> ready(job);
            default -> {}
        }
    }

    /** A delayed job's timer fired: it starts now, or waits on, if the wall clock is still short of its time. */
    void startTimeCame(Job job) {
        if (job.status() == JobStatus.PENDING && !delayed.holds(job)) {
            awaitDependencies(job);
        }
    }

    private void awaitDependencies(Job job) {
        boolean waiting = false;
        for (String dep : job.spec().dependsOn()) {
            JobStatus status = dependencies.statusOf(dep);
            if (status == null) {
                failDependent(job, "dependency " + dep + " does not exist");
                return;
            }
            if (status == JobStatus.COMPLETED) {
                continue;
            }
            if (status.isTerminal()) {
                failDependent(job, "dependency " + dep + " ended " + status);
                return;
            }
            dependencies.waitFor(dep, job.id());
            waiting = true;
        }
        if (!waiting) {
            update(job.released(clock.now()));
        }
    }

    private void failDependent(Job job, String why) {
        finish(job, JobStatus.FAILED, new JobError(ErrorCode.DEPENDENCY_FAILED, why));
    }

    private void dependencyEnded(Job dep) {
        Set<String> waiting = dependencies.ended(dep.id());
        if (waiting == null) {
            return;
        }
        for (String id : waiting) {
            Job job = jobs.get(id);
            if (job == null || job.status() != JobStatus.PENDING) {
                continue;
            }
            if (dep.status() != JobStatus.COMPLETED) {
                failDependent(job, "dependency " + dep.id() + " ended " + dep.status());
            } else {
                awaitDependencies(job); // re-checks the others; releases when all are done
            }
        }
    }

    /** Records a non-terminal state change: in memory now, durable soon, and placed again if it is QUEUED. */
    void update(Job job) {
        jobs.track(job);
        writes.supersede(job.id()); // this write carries the state that was waiting
        writes.commit(job);
        if (job.status() == JobStatus.QUEUED) {
            ready(job);
        }
    }

    /** A QUEUED job goes to the ready queue, unless it is verified by replicas: those are placed in its stead. */
    private void ready(Job job) {
        if (job.spec().verify() == null || !replicas.start(job)) {
            ready.offer(job);
        }
    }

    /** Records a terminal state: the job leaves the scheduler, and the jobs that depend on it move on. */
    void terminal(Job job) {
        jobs.ended(job);
        writes.commitEnd(job);
        dispatcher.ended(job.id());
        receipts.forget(job.id());
        dependencyEnded(job);
        ready.unpark();
        replicas.ended(job);
    }

    /** Ends {@code job} with {@code terminal} status and {@code why}; returns the ended job. */
    Job finish(Job job, JobStatus terminal, JobError why) {
        Job ended = job.finish(terminal, why, clock.now());
        terminal(ended);
        return ended;
    }
}
