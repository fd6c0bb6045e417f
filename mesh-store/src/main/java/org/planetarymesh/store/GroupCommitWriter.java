package org.planetarymesh.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.planetarymesh.store.JobStore.Outcome;
import org.planetarymesh.store.JobStore.Write;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes writes durable many at a time: one transaction, one fsync, for everything submitted while the previous commit
 * was running. This is what lets a store whose fsync costs ~0.3 ms record tens of thousands of job transitions per
 * second.
 *
 * <p>Callers encode each write's JSON document on their own thread when they submit (for the JDBC store), so the one
 * writer thread only binds parameters and commits: encoding is CPU the one thread every commit waits for need not
 * spend.
 *
 * <p>One dedicated writer thread takes whatever is queued (up to {@code maxBatch} writes, never splitting a
 * {@link #submitAll} group) and commits it with a single {@link JobStore#apply}. A future completes only after that
 * commit, so a caller that waits for it may acknowledge durably. Futures complete in submission order.
 *
 * <p><b>A batch is never dropped because the store is unavailable.</b> If its commit fails for a reason the store gets
 * over by itself (connection lost, server restarting, disk full or read-only, file busy: {@link TransientFailure}),
 * the writer keeps the batch and commits it again after a pause that doubles from 50 ms to 2 s, until it succeeds;
 * later batches wait behind it, so order holds and every future still completes only once its write is durable. The
 * writer reports meanwhile that the store is down ({@link #health}), so that callers can refuse new work at once
 * instead of queueing it. A commit that fails for any other reason (a constraint, a bad value, a bug) would fail
 * again: that batch's futures fail with the store's exception and the writer carries on with the next batch. When the
 * writer is idle it checks the store once a second, so an outage shows while nothing is written too.
 *
 * <p><b>Callbacks chained on the returned futures without an executor run on the writer thread</b> and delay every
 * later commit while they run: keep them short and non-blocking (hand off to a queue), or use the {@code ..Async}
 * variants. Never wait on another future of this writer from such a callback.
 */
public final class GroupCommitWriter implements AutoCloseable {

    /** How long an idle writer waits before re-checking whether it was closed. */
    private static final long IDLE_POLL_MS = 100;

    private static final long CLOSE_TIMEOUT_SECONDS = 60;

    /** How long {@link #close} lets a batch wait for an unavailable store before failing it. */
    private static final Duration CLOSE_RETRY_GRACE = Duration.ofSeconds(10);

    static final Duration FIRST_RETRY_PAUSE = Duration.ofMillis(50);
    static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(2);

    /** How long the writer may sit idle before it checks that the store still answers. */
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    private final JobStore store;
    // Non-null when the store takes pre-encoded documents: then callers encode on their own threads.
    private final JdbcJobStore encoding;
    private final int maxBatch;
    private final CommitObserver observer;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long giveUpAtNanos;
    private volatile StoreHealth health = StoreHealth.UP;
    // Written only by the writer thread; volatile so that any thread reads a recent value.
    private volatile long transactions;
    private volatile long writes;
    private volatile long failedTransactions;

    /** Starts the writer thread for {@code store}; each transaction carries at most {@code maxBatch} writes. */
    public GroupCommitWriter(JobStore store, int maxBatch) {
        this(store, maxBatch, CommitObserver.NONE);
    }

    /** As {@link #GroupCommitWriter(JobStore, int)}, telling {@code observer} of every committed transaction. */
    public GroupCommitWriter(JobStore store, int maxBatch, CommitObserver observer) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
        }
        this.store = store;
        this.encoding = store instanceof JdbcJobStore jdbc ? jdbc : null;
        this.maxBatch = maxBatch;
        this.observer = observer;
        this.thread = Thread.ofPlatform().name("mesh-group-commit").daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Queues {@code write}; the future completes with its outcome once committed. */
    public CompletableFuture<Outcome> submit(Write write) {
        CompletableFuture<Outcome> future = new CompletableFuture<>();
        String doc;
        try {
            doc = encoding == null ? null : JdbcJobStore.document(write);
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
            return future;
        }
        enqueue(new Single(write, doc, future));
        return future;
    }

    /** Queues {@code writes} to commit together in one transaction, in order; the outcomes are in the same order. */
    public CompletableFuture<List<Outcome>> submitAll(List<Write> writes) {
        CompletableFuture<List<Outcome>> future = new CompletableFuture<>();
        if (writes.isEmpty()) {
            future.complete(List.of());
            return future;
        }
        List<Write> copy = List.copyOf(writes);
        List<String> docs = null;
        try {
            if (encoding != null) {
                docs = new ArrayList<>(copy.size());
                for (Write w : copy) {
                    docs.add(JdbcJobStore.document(w));
                }
            }
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
            return future;
        }
        enqueue(new Group(copy, docs, future));
        return future;
    }

    /** How many transactions committed so far. */
    public long transactions() {
        return transactions;
    }

    /** How many transactions failed (their futures failed with the store's exception). */
    public long failedTransactions() {
        return failedTransactions;
    }

    /** How many writes committed so far. */
    public long writes() {
        return writes;
    }

    /** Whether the store takes writes, as the last commit (or idle check) found; read without touching the store. */
    public StoreHealth health() {
        return health;
    }

    /**
     * Stops accepting writes, commits everything already accepted, then stops the writer thread. Does not close the
     * store.
     */
    @Override
    public void close() {
        // No interrupt: it could land inside a JDBC call (or Hikari's connection wait) and fail a batch that was
        // accepted. The writer notices the flag within one poll interval, drains the queue, and exits.
        giveUpAtNanos = System.nanoTime() + CLOSE_RETRY_GRACE.toNanos();
        closed = true;
        LockSupport.unpark(thread);
        try {
            if (!thread.join(java.time.Duration.ofSeconds(CLOSE_TIMEOUT_SECONDS))) {
                throw new StoreException("group commit writer did not drain within " + CLOSE_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Anything still queued was accepted after the writer's last look (see enqueue): it will never be committed.
        failRemaining();
    }

    private void enqueue(Pending pending) {
        if (closed) {
            pending.fail(new IllegalStateException("group commit writer is closed"));
            return;
        }
        queue.add(pending);
        // close() may have drained the queue between the check above and the add; take the write back if so.
        if (closed && queue.remove(pending)) {
            pending.fail(new IllegalStateException("group commit writer is closed"));
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        List<Write> flat = new ArrayList<>(Math.min(maxBatch, 65_536));
        List<String> docs = encoding == null ? null : new ArrayList<>(Math.min(maxBatch, 65_536));
        long lastUse = System.nanoTime();
        while (true) {
            Pending first;
            try {
                first = closed ? queue.poll() : queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue; // only close() matters, and it is signalled by the flag
            }
            if (first == null) {
                if (closed) {
                    return;
                }
                if (System.nanoTime() - lastUse >= IDLE_CHECK_NANOS) {
                    checkIdleStore();
                    lastUse = System.nanoTime();
                }
                continue;
            }
            batch.add(first);
            first.addTo(flat, docs);
            // Single consumer: what peek() sees is what poll() takes.
            for (Pending next = queue.peek();
                    next != null && flat.size() + next.size() <= maxBatch;
                    next = queue.peek()) {
                queue.poll();
                batch.add(next);
                next.addTo(flat, docs);
            }
            commit(batch, flat, docs);
            lastUse = System.nanoTime();
            batch.clear();
            flat.clear();
            if (docs != null) {
                docs.clear();
            }
        }
    }

    /** Commits {@code flat}, retrying while the store is unavailable, then completes or fails its futures. */
    private void commit(List<Pending> batch, List<Write> flat, List<String> docs) {
        long pauseNanos = FIRST_RETRY_PAUSE.toNanos();
        while (true) {
            List<Outcome> outcomes;
            long startNanos = System.nanoTime();
            try {
                outcomes = encoding != null ? encoding.apply(flat, docs) : store.apply(flat);
                if (outcomes.size() != flat.size()) {
                    throw new StoreException(
                            "store returned " + outcomes.size() + " outcomes for " + flat.size() + " writes");
                }
            } catch (RuntimeException | Error e) {
                if (TransientFailure.is(e) && !givingUp()) {
                    storeDown(e, flat.size() + queuedWrites());
                    pause(pauseNanos);
                    pauseNanos = Math.min(pauseNanos * 2, MAX_RETRY_PAUSE.toNanos());
                    continue;
                }
                failedTransactions++;
                for (Pending p : batch) {
                    p.fail(e);
                }
                if (e instanceof Error error && !(error instanceof StackOverflowError)) {
                    throw error;
                }
                return;
            }
            long tookNanos = System.nanoTime() - startNanos;
            storeUp();
            transactions++;
            writes += flat.size();
            int at = 0;
            for (Pending p : batch) {
                at = p.complete(outcomes, at);
            }
            observer.committed(flat.size(), tookNanos);
            return;
        }
    }

    /** While idle: asks the store whether it answers, so that an outage shows before the next write meets it. */
    private void checkIdleStore() {
        try {
            store.check();
            storeUp();
        } catch (RuntimeException e) {
            if (TransientFailure.is(e)) {
                storeDown(e, queuedWrites());
            } else {
                LOG.warn("the store's health check failed", e);
            }
        }
    }

    private void storeDown(Throwable error, int waiting) {
        StoreHealth before = health;
        health = before.failed(Instant.now(), error, waiting);
        if (before.up()) {
            LOG.error(
                    "the store is unavailable; {} writes wait and will be committed, in order, when it is back: {}",
                    waiting,
                    error.getMessage());
        }
    }

    private void storeUp() {
        StoreHealth before = health;
        if (!before.up()) {
            health = StoreHealth.UP;
            LOG.info(
                    "the store is available again after {} ms",
                    Duration.between(before.downSince(), Instant.now()).toMillis());
        }
    }

    /** After {@link #close}'s grace, a batch the store cannot take is failed rather than retried forever. */
    private boolean givingUp() {
        return closed && System.nanoTime() - giveUpAtNanos >= 0;
    }

    private int queuedWrites() {
        int n = 0;
        for (Pending p : queue) {
            n += p.size();
        }
        return n;
    }

    private static void pause(long nanos) {
        // close() unparks the thread, so a closing writer retries at once and gives up after its grace.
        LockSupport.parkNanos(nanos);
    }

    private void failRemaining() {
        for (Pending p = queue.poll(); p != null; p = queue.poll()) {
            p.fail(new IllegalStateException("group commit writer closed before this write was committed"));
        }
    }

    /** What a caller queued: one write or a group, and the future to complete. */
    private sealed interface Pending permits Single, Group {
        int size();

        /** Adds this entry's writes to {@code flat} and, when the store takes them, their documents to {@code docs}. */
        void addTo(List<Write> flat, List<String> docs);

        /** Completes from {@code outcomes} starting at {@code at}; returns the index after this entry's outcomes. */
        int complete(List<Outcome> outcomes, int at);

        void fail(Throwable cause);
    }

    private record Single(Write write, String doc, CompletableFuture<Outcome> future) implements Pending {
        @Override
        public int size() {
            return 1;
        }

        @Override
        public void addTo(List<Write> flat, List<String> docs) {
            flat.add(write);
            if (docs != null) {
                docs.add(doc);
            }
        }

        @Override
        public int complete(List<Outcome> outcomes, int at) {
            future.complete(outcomes.get(at));
            return at + 1;
        }

        @Override
        public void fail(Throwable cause) {
            future.completeExceptionally(cause);
        }
    }

    private record Group(List<Write> writes, List<String> docs, CompletableFuture<List<Outcome>> future)
            implements Pending {
        @Override
        public int size() {
            return writes.size();
        }

        @Override
        public void addTo(List<Write> flat, List<String> allDocs) {
            flat.addAll(writes);
            if (allDocs != null) {
                allDocs.addAll(docs);
            }
        }

        @Override
        public int complete(List<Outcome> outcomes, int at) {
            future.complete(List.copyOf(outcomes.subList(at, at + writes.size())));
            return at + writes.size();
        }

        @Override
        public void fail(Throwable cause) {
            future.completeExceptionally(cause);
        }
    }
}
