package org.planetarymesh.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
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

        assertThat(outbox.peekBatch(4, Duration.ZERO)).containsExactlyElementsOf(frames.subList(0, 4));
        assertThat(outbox.peekBatch(256, Duration.ZERO)).containsExactlyElementsOf(frames);
        assertThat(outbox.size()).isEqualTo(10);
        assertThatThrownBy(() -> outbox.peekBatch(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedSendKeepsTheBatchForTheNextTurn() throws Exception {
        Outbox outbox = new Outbox(100);
        List<Message> frames = fill(outbox, 5);

        List<Message> first = outbox.peekBatch(256, Duration.ZERO);
        // The send failed: nothing is removed, so the next session sends the same frames in the same order.
        assertThat(outbox.peekBatch(256, Duration.ZERO)).containsExactlyElementsOf(first);
        assertThat(outbox.size()).isEqualTo(5);
        assertThat(first).containsExactlyElementsOf(frames);
    }

    @Test
    void removeSentRemovesExactlyThePrefixThatWasSent() throws Exception {
        Outbox outbox = new Outbox(100);
        List<Message> frames = fill(outbox, 6);

        List<Message> batch = outbox.peekBatch(256, Duration.ZERO);
        Message newer = chunk(99);
        outbox.offerOutput(newer, Duration.ZERO);
        // Only the first 4 fitted in the frame; the other 2 and the newer one wait for the next turn.
        outbox.removeSent(batch.subList(0, 4));

        assertThat(outbox.peekBatch(256, Duration.ZERO)).containsExactly(frames.get(4), frames.get(5), newer);
    }

    @Test
    void removeSentLeavesFramesThatAreNoLongerTheOldest() throws Exception {
        Outbox outbox = new Outbox(100);
        List<Message> frames = fill(outbox, 3);

        List<Message> batch = outbox.peekBatch(2, Duration.ZERO);
        outbox.removeSent(batch);
        outbox.removeSent(batch);

        assertThat(outbox.peekBatch(256, Duration.ZERO)).containsExactly(frames.get(2));
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

        List<Message> batch = outbox.peekBatch(256, Duration.ZERO);
        Message done = new Message.JobError("job", 1, "executor_error", "boom", true, 0);
        outbox.offerOutcome(done);
        outbox.removeSent(batch);

        assertThat(outbox.peekBatch(256, Duration.ZERO)).containsExactly(done);
    }

    @Test
    void peekBatchWaitsWhileEmptyAndWakesOnTheFirstFrame() throws Exception {
        Outbox outbox = new Outbox(10);
        assertThat(outbox.peekBatch(8, Duration.ofMillis(50))).isEmpty();

        CompletableFuture<List<Message>> taken = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                taken.complete(outbox.peekBatch(8, Duration.ofSeconds(30)));
            } catch (Throwable e) {
                taken.completeExceptionally(e);
            }
        });
        Message frame = new Message.JobAccepted("job", 1);
        outbox.offerOutcome(frame);

        await().atMost(Duration.ofSeconds(5)).until(taken::isDone);
        assertThat(taken.get()).containsExactly(frame);
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
        outbox.removeSent(outbox.peekBatch(1, Duration.ZERO));

        await().atMost(Duration.ofSeconds(5)).until(queued::isDone);
        assertThat(queued.get()).isTrue();
        assertThat(outbox.size()).isEqualTo(2);
    }
}
