package org.planetarymesh.agent.bidding;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.IntSupplier;
import org.planetarymesh.agent.identity.NodeIdentity;
import org.planetarymesh.core.auction.BidMerkle;
import org.planetarymesh.core.auction.BidSigning;
import org.planetarymesh.core.job.Resources;
import org.planetarymesh.core.protocol.Message;

/**
 * Answers the coordinator's {@code job_announcement}s: a {@code job_bid} signed with the node key, priced by the
 * {@link BiddingPolicy}, or a {@code job_decline} saying why not (bidding off, no free slot, the price would be above
 * the job's {@code max_price}). The announcements of one frame are answered together: the agent bids on at most as
 * many as it has free slots (never above its capacity), and signs them once, over the Merkle root of their canonical
 * forms ({@link BidMerkle}); a lone bid is signed by itself.
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
        return answer(List.of(announcement)).getFirst();
    }

    /** The answers to one frame's announcements, in order: bids signed together, or declines. */
    public List<Message> answer(List<Message.JobAnnouncement> announcements) {
        int free = freeSlots.getAsInt();
        List<Message> answers = new ArrayList<>(announcements.size());
        List<Integer> bids = new ArrayList<>();
        List<String> forms = new ArrayList<>();
        for (Message.JobAnnouncement a : announcements) {
            String why = refusal(a, free - bids.size());
            if (why != null) {
                answers.add(new Message.JobDecline(a.jobId(), a.nonce(), why));
                continue;
            }
            long price = policy.price(a.jobType(), a.timeoutMs());
            long eta = policy.eta(a.jobType());
            bids.add(answers.size());
            forms.add(BidSigning.canonical(a.jobId(), identity.nodeId(), a.nonce(), price, eta, free));
            answers.add(new Message.JobBid(a.jobId(), price, eta, resources, null, a.nonce(), free));
        }
        sign(answers, bids, forms);
        return answers;
    }

    private String refusal(Message.JobAnnouncement a, int slotsLeft) {
        if (!policy.enabled()) {
            return "bidding is off on this agent";
        }
        if (slotsLeft <= 0) {
            return "no free slot";
        }
        long price = policy.price(a.jobType(), a.timeoutMs());
        if (a.maxPrice() != null && price > a.maxPrice()) {
            return "its price " + price + " is above the job's max_price " + a.maxPrice();
        }
        return null;
    }

    private void sign(List<Message> answers, List<Integer> bids, List<String> forms) {
        if (bids.size() == 1) {
            Message.JobBid bid = (Message.JobBid) answers.get(bids.getFirst());
            answers.set(bids.getFirst(), signed(bid, sign(forms.getFirst()), null));
            return;
        }
        if (bids.isEmpty()) {
            return;
        }
        List<byte[]> leaves = forms.stream().map(BidMerkle::leaf).toList();
        String signature = sign(BidMerkle.signedText(BidMerkle.root(leaves)));
        for (int i = 0; i < bids.size(); i++) {
            Message.JobBid bid = (Message.JobBid) answers.get(bids.get(i));
            answers.set(bids.get(i), signed(bid, signature, BidMerkle.proof(leaves, i)));
        }
    }

    private String sign(String text) {
        return Base64.getEncoder().encodeToString(identity.sign(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Message.JobBid signed(Message.JobBid bid, String signature, List<String> proof) {
        return new Message.JobBid(
                bid.jobId(), bid.price(), bid.etaMs(), bid.resources(), signature, bid.nonce(), bid.freeSlots(), proof);
    }
}
