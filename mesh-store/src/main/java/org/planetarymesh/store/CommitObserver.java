package org.planetarymesh.store;

/**
 * Told of every transaction the {@link GroupCommitWriter} committed: how many writes it carried and how long the
 * store took to apply it. Called on the writer thread after the commit's futures completed, so it must be quick and
 * must not block (the coordinator records it into a histogram).
 */
@FunctionalInterface
public interface CommitObserver {

    /** Observes nothing. */
    CommitObserver NONE = (writes, nanos) -> {};

    /** A transaction of {@code writes} writes committed; its last (successful) apply took {@code nanos}. */
    void committed(int writes, long nanos);
}
