package org.planetarymesh.agent.link;

import java.time.Instant;
import org.planetarymesh.agent.bidding.Bidder;
import org.planetarymesh.agent.runner.Admission;
import org.planetarymesh.agent.runner.JobRunner;
import org.planetarymesh.agent.runner.JobTicket;
import org.planetarymesh.core.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the coordinator asks of this agent ({@code assign_job}, {@code job_cancel}, {@code drain}), handed to the
 * {@link JobRunner}; a refused assignment is answered through the {@link Outbox}, and so is an auction's
 * {@code job_announcement}, with the {@link Bidder}'s bid or decline.
 */
final class CoordinatorCommands {
    // Logged under the link's name, which existing log settings for the link already cover.
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorLink.class);

    private final JobRunner runner;
    private final Outbox outbox;
    private final Bidder bidder;
    private final ReceiptSealer sealer;
    // The current frame's announcements: bid on together, under one signature (see endOfFrame).
    private final java.util.List<Message.JobAnnouncement> announced = new java.util.ArrayList<>();

    private final java.util.function.Consumer<Message.AssignJob> onAssign;

    CoordinatorCommands(
            JobRunner runner,
            Outbox outbox,
            Bidder bidder,
            ReceiptSealer sealer,
            java.util.function.Consumer<Message.AssignJob> onAssign) {
        this.onAssign = onAssign;
        this.runner = runner;
        this.outbox = outbox;
        this.bidder = bidder;
        this.sealer = sealer;
    }

    /** Acts on one message from the coordinator; messages an agent does not act on are logged and skipped. */
    void handle(Message message) {
        switch (message) {
            case Message.AssignJob a -> assign(a);
            case Message.JobAnnouncement a -> announced.add(a); // answered together at the end of the frame
            case Message.JobCancel c -> {
                if (!runner.cancel(c.jobId(), c.attempt(), c.reason())) {
                    LOG.debug("cancel for {} attempt {}: not running here", c.jobId(), c.attempt());
                }
            }
            case Message.Drain d -> {
                LOG.info("coordinator asked to drain: {}", d.reason());
                runner.drain();
            }
            case Message.Undrain u -> {
                if (runner.undrain()) {
                    LOG.info("coordinator asked to take jobs again: {}", u.reason());
                } else {
                    LOG.info("coordinator asked to take jobs again, but this agent is shutting down");
                }
            }
            case Message.Welcome w -> LOG.debug("repeated welcome ignored");
            default ->
                LOG.debug("ignored {} from coordinator", message.getClass().getSimpleName());
        }
    }

    /** The frame's messages are handled: answers its announcements, bids signed once for all of them. */
    void endOfFrame() {
        if (announced.isEmpty()) {
            return;
        }
        try {
            bidder.answer(announced).forEach(outbox::offerOutcome);
        } finally {
            announced.clear();
        }
    }

    private void assign(Message.AssignJob a) {
        onAssign.accept(a);
        Instant deadline = a.deadline();
        if (a.timeoutMs() != null && a.timeoutMs() > 0) {
            Instant byTimeout = Instant.now().plusMillis(a.timeoutMs());
            deadline = deadline == null || byTimeout.isBefore(deadline) ? byTimeout : deadline;
        }
        JobTicket ticket = new JobTicket(a.jobId(), a.attempt(), a.jobType(), a.payload(), deadline);
        // The coordinator names the spec when it wants a receipt for this attempt.
        ReceiptDraft receipt = a.specCid() == null
                ? null
                : new ReceiptDraft(a.jobId(), a.attempt(), a.specCid(), sealer.did(), ticket.payload());
        Admission admission =
                runner.submit(ticket, new OutboxJobListener(outbox, a.jobId(), a.attempt(), receipt, sealer));
        if (admission instanceof Admission.Rejected r) {
            outbox.offerOutcome(new Message.JobRejected(a.jobId(), a.attempt(), r.code(), r.message()));
        }
    }
}
