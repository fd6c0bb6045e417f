package org.planetarymesh.agent.bidding;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.IntSupplier;
import org.planetarymesh.agent.identity.NodeIdentity;
import org.planetarymesh.core.auction.BidSigning;
import org.planetarymesh.core.job.Resources;
import org.planetarymesh.core.protocol.Message;

/**
 * Answers the coordinator's {@code job_announcement}s: a {@code job_bid} signed with the node key, priced by the
 * {@link BiddingPolicy}, or a {@code job_decline} saying why not (bidding off, no free slot, the price would be above
 * the job's {@code max_price}).
 */
public final class Bidder {

    private final BiddingPolicy policy;
    private final NodeIdentity identity;
    private final IntSupplier freeSlots;
    private final Resources resources;

    /** A bidder for the node {@code identity}, whose free slots {@code freeSlots} counts and who has {@code resources}. */
    public Bidder(BiddingPolicy policy, NodeIdentity identity, IntSupplier freeSlots, Resources resources) {
        this.policy = policy;
        this.identity = identity;
        this.freeSlots = freeSlots;
        this.resources = resources;
    }

    /** The answer to {@code announcement}: a signed bid or a decline. */
    public Message answer(Message.JobAnnouncement announcement) {
        if (!policy.enabled()) {
            return decline(announcement, "bidding is off on this agent");
        }
        int free = freeSlots.getAsInt();
        if (free <= 0) {
            return decline(announcement, "no free slot");
        }
        long price = policy.price(announcement.jobType(), announcement.timeoutMs());
        if (announcement.maxPrice() != null && price > announcement.maxPrice()) {
            return decline(
                    announcement, "its price " + price + " is above the job's max_price " + announcement.maxPrice());
        }
        long eta = policy.eta(announcement.jobType());
        String signed =
                BidSigning.canonical(announcement.jobId(), identity.nodeId(), announcement.nonce(), price, eta, free);
        String signature = Base64.getEncoder().encodeToString(identity.sign(signed.getBytes(StandardCharsets.UTF_8)));
        return new Message.JobBid(announcement.jobId(), price, eta, resources, signature, announcement.nonce(), free);
    }

    private static Message.JobDecline decline(Message.JobAnnouncement announcement, String reason) {
        return new Message.JobDecline(announcement.jobId(), announcement.nonce(), reason);
    }
}
