package org.planetarymesh.agent.runner;

import java.time.Duration;

/** Where a running attempt's output goes: the coordinator link, or a local HTTP caller. */
public interface JobListener {

    /** The attempt was admitted and is about to start (or was already running); called before any output. */
    void accepted();

    /** Queues a chunk of output, waiting at most {@code wait}; {@code false} if there was no room in time. */
    boolean chunk(long seq, String stream, byte[] data, Duration wait) throws InterruptedException;

    /** Reports progress; may be dropped. */
    void progress(double fraction, String log);

    /** The attempt ended; called exactly once. */
    void finished(Outcome outcome);
}
