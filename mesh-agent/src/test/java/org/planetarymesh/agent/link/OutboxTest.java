package org.planetarymesh.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.protocol.Message;

/** Taking the oldest frames in batches and removing exactly those that were sent. */
class OutboxTest {

    private static Message.JobChunk chunk(int seq) {
        return new Message.JobChunk("job", 1, seq, "eA==", "stdout");
    }

    private static List<Message> fill(Outbox outbox, int count) throws InterruptedException {
        List<Message> frames =
                IntStream.range(0, count).<Message>mapToObj(OutboxTest::chunk).toList();
        for (Message frame : frames) {
            assertThat(outbox.offerOutput(frame, Duration.ZERO)).isTrue();
        }
        return frames;
    }

    @Test
    void peekBatchTakesTheOldestInOrderUpToMaxWithoutRemoving() throws Exception {
        Outbox outbox = new Outbox(100);
        List<Message> frames = fill(outbox, 10);

        assertThat(outbox.peekBatch(4)).containsExactlyElementsOf(frames.subList(0, 4));
        assertThat(outbox.peekBatch(256)).containsExactlyElementsOf(frames);
        assertThat(outbox.size()).isEqualTo(10);
        assertThatThrownBy(() -> outbox.peekBatch(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedSendKeepsTheBatchForTheNextTurn() throws Exception {
        Outbox outbox = new Outbox(100);
        List<Message> frames = fill(outbox, 5);

        List<Message> first = outbox.peekBatch(256);
        // The send failed: nothing is removed, so the next session sends the same frames in the same order.
        assertThat(outbox.peekBatch(256)).containsExactlyElementsOf(first);
        assertThat(outbox.size()).isEqualTo(5);
        assertThat(first).containsExactlyElementsOf(frames);
    }

    @Test
    void removeSentRemovesExactlyThePrefixThatWasSent() throws Exception {
        Outbox outbox = new Outbox(100);
        List<Message> frames = fill(outbox, 6);

        List<Message> batch = outbox.peekBatch(256);
        Message newer = chunk(99);
        outbox.offerOutput(newer, Duration.ZERO);
        // Only the first 4 fitted in the frame; the other 2 and the newer one wait for the next turn.
        outbox.removeSent(batch.subList(0, 4));

        assertThat(outbox.peekBatch(256)).containsExactly(frames.get(4), frames.get(5), newer);
    }

    @Test
    void removeSentLeavesFramesThatAreNoLongerTheOldest() throws Exception {
        Outbox outbox = new Outbox(100);
        List<Message> frames = fill(outbox, 3);

        List<Message> batch = outbox.peekBatch(2);
        outbox.removeSent(batch);
        outbox.removeSent(batch);

        assertThat(outbox.peekBatch(256)).containsExactly(frames.get(2));
    }

    @Test
    void progressEvictedWhileABatchWasInFlightIsSkippedNotBlocking() throws Exception {
        Outbox outbox = new Outbox(3);
        Message a = chunk(0);
        Message progress = new Message.JobProgress("job", 1, 0.5, "half");
        Message b = chunk(1);
        outbox.offerOutput(a, Duration.ZERO);
        outbox.offerProgress(progress);
        outbox.offerOutput(b, Duration.ZERO);

        List<Message> batch = outbox.peekBatch(256);
        Message done = new Message.JobError("job", 1, "executor_error", "boom", true, 0);
        outbox.offerOutcome(done);
        outbox.removeSent(batch);

        assertThat(outbox.peekBatch(256)).containsExactly(done);
    }

    @Test
    void everyQueuedFrameRunsTheOfferHookButADroppedOneDoesNot() throws Exception {
        Outbox outbox = new Outbox(1);
        assertThat(outbox.peekBatch(8)).isEmpty();
        List<String> hooked = new ArrayList<>();
        outbox.whenOffered(() -> hooked.add(Thread.currentThread().getName()));

        outbox.offerOutcome(new Message.JobAccepted("job", 1));
        assertThat(outbox.offerProgress(new Message.JobProgress("job", 1, 0.5, null)))
                .isFalse(); // full: dropped, nothing to write
        outbox.offerOutcome(new Message.JobDone("job", 1, null, null, 0, "echo", null, null));

        // The writer runs on the offering thread: no hand-off to a sender thread.
        assertThat(hooked)
                .containsExactly(
                        Thread.currentThread().getName(), Thread.currentThread().getName());
        outbox.whenOffered(null);
        outbox.offerOutcome(new Message.JobAccepted("job", 2));
        assertThat(hooked).hasSize(2);
    }

    @Test
    void removingSentFramesMakesRoomForAWaitingWriter() throws Exception {
        Outbox outbox = new Outbox(2);
        fill(outbox, 2);
        assertThat(outbox.offerOutput(chunk(2), Duration.ZERO)).as("full").isFalse();

        CompletableFuture<Boolean> queued = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                queued.complete(outbox.offerOutput(chunk(2), Duration.ofSeconds(30)));
            } catch (Throwable e) {
                queued.completeExceptionally(e);
            }
        });
        outbox.removeSent(outbox.peekBatch(1));

        await().atMost(Duration.ofSeconds(5)).until(queued::isDone);
        assertThat(queued.get()).isTrue();
        assertThat(outbox.size()).isEqualTo(2);
    }
}
