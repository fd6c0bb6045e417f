package org.planetarymesh.agent.link;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.planetarymesh.core.protocol.Message;

/**
 * Frames waiting to go to the coordinator, kept across reconnects and bounded. Output ({@code job_chunk}) waits for
 * room and gives up after a timeout, which the runner turns into a failed job instead of growing memory; progress is
 * dropped when full; outcome frames ({@code job_done}, {@code job_error}, accepts and rejects) always get in, evicting
 * the oldest progress frame if they must, and may exceed the bound only by one frame per attempt.
 */
public final class Outbox {
    private final int capacity;
    private final ArrayDeque<Message> frames = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private volatile Runnable whenOffered = () -> {};

    public Outbox(int capacity) {
        this.capacity = capacity;
    }

    /** Runs {@code action} on the offering thread after each frame is queued (the link's writer starts a write). */
    public void whenOffered(Runnable action) {
        whenOffered = action == null ? () -> {} : action;
    }

    /** Queues streamed output, waiting up to {@code wait} for room; {@code false} if none came. */
    public boolean offerOutput(Message frame, Duration wait) throws InterruptedException {
        long nanos = wait.toNanos();
        lock.lock();
        try {
            while (frames.size() >= capacity) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = notFull.awaitNanos(nanos);
            }
            add(frame);
        } finally {
            lock.unlock();
        }
        whenOffered.run();
        return true;
    }

    /** Queues progress if there is room; drops it otherwise. */
    public boolean offerProgress(Message frame) {
        lock.lock();
        try {
            if (frames.size() >= capacity) {
                return false;
            }
            add(frame);
        } finally {
            lock.unlock();
        }
        whenOffered.run();
        return true;
    }

    /** Queues an outcome frame, making room by dropping the oldest progress frame if full. */
    public void offerOutcome(Message frame) {
        lock.lock();
        try {
            if (frames.size() >= capacity) {
                for (Iterator<Message> it = frames.iterator(); it.hasNext(); ) {
                    if (it.next() instanceof Message.JobProgress) {
                        it.remove();
                        break;
                    }
                }
            }
            add(frame);
        } finally {
            lock.unlock();
        }
        whenOffered.run();
    }

    private void add(Message frame) {
        frames.addLast(frame);
    }

    /**
     * Up to {@code max} of the oldest frames, oldest first, without removing them; empty if there is none. The
     * writer puts them in one WebSocket frame and then calls {@link #removeSent}, so a failed send keeps them for the
     * next session.
     */
    public List<Message> peekBatch(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        lock.lock();
        try {
            List<Message> batch = new ArrayList<>(Math.min(max, frames.size()));
            for (Iterator<Message> it = frames.iterator(); it.hasNext() && batch.size() < max; ) {
                batch.add(it.next());
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes {@code sent} (a prefix of what {@link #peekBatch} returned, in order) from the head, each only if it is
     * still the oldest frame (compared by identity), so frames not named stay; a frame of {@code sent} that is gone
     * meanwhile (progress evicted by {@link #offerOutcome}) is skipped, so the frames after it are not sent twice.
     */
    public void removeSent(List<Message> sent) {
        lock.lock();
        try {
            int removed = 0;
            for (Message frame : sent) {
                if (frames.peekFirst() == frame) {
                    frames.removeFirst();
                    removed++;
                }
            }
            if (removed > 0) {
                notFull.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Attempts whose outcome ({@code job_done} or {@code job_error}) waits here unsent: the agent still holds them, so
     * it lists them with its running jobs and the coordinator does not take them for lost before the outcome arrives.
     */
    public List<Message.RunningJob> unreportedOutcomes() {
        lock.lock();
        try {
            List<Message.RunningJob> held = new ArrayList<>();
            for (Message frame : frames) {
                switch (frame) {
                    case Message.JobDone d -> held.add(new Message.RunningJob(d.jobId(), d.attempt()));
                    case Message.JobError e -> held.add(new Message.RunningJob(e.jobId(), e.attempt()));
                    default -> {}
                }
            }
            return held;
        } finally {
            lock.unlock();
        }
    }

    /** Frames waiting. */
    public int size() {
        lock.lock();
        try {
            return frames.size();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until empty or {@code wait} passes; {@code true} if empty. */
    public boolean awaitEmpty(Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        // Bounded by the deadline; polls because removals signal notFull only when it matters for writers.
        while (size() > 0) {
            if (System.nanoTime() >= until) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return true;
    }
}
