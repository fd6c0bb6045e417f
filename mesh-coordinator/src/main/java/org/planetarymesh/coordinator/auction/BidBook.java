package org.planetarymesh.coordinator.auction;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.planetarymesh.core.job.AuctionRecord;
import org.planetarymesh.core.protocol.Message;

/**
 * The rounds of one job's auction and every answer they got: bids taken in, bids disqualified on arrival (not
 * announced, replayed, bad signature, late, duplicate) and declines, in the order the record shows them. A bid is
 * checked when it arrives; price and requirements are checked when its round closes, against the job as it is then.
 */
public final class BidBook {

    /** Entries kept per job, so a node that floods a job with bids cannot bloat its document. */
    public static final int MAX_ENTRIES = 200;

    private final int bidRevisions;
    private final List<Round> rounds = new ArrayList<>();
    private final Set<String> seenSignatures = new HashSet<>();
    private final List<AuctionRecord.Bid> entries = new ArrayList<>();
    private java.time.Instant firstAnnouncedAt;

    /** A book for one job; a node may replace its bid {@code bidRevisions} times per round. */
    public BidBook(int bidRevisions) {
        this.bidRevisions = bidRevisions;
    }

    /**
     * Opens round {@code rounds() + 1}, announced at {@code now} to {@code asked} under {@code nonce}, closing at the
     * latest at {@code closesAtMillis}.
     */
    public void open(String nonce, Set<String> asked, long closesAtMillis, java.time.Instant now) {
        if (rounds.isEmpty()) {
            firstAnnouncedAt = now;
        }
        rounds.add(new Round(rounds.size() + 1, nonce, asked, closesAtMillis));
    }

    /** When the first round was announced; null before. */
    public java.time.Instant firstAnnouncedAt() {
        return firstAnnouncedAt;
    }

    /** How many rounds were announced. */
    public int rounds() {
        return rounds.size();
    }

    /** Whether a round is open (announced, not yet closed). */
    public boolean roundOpen() {
        return !rounds.isEmpty() && !rounds.getLast().closed;
    }

    /** When the open round closes at the latest (monotonic ms). */
    public long closesAtMillis() {
        return rounds.getLast().closesAtMillis;
    }

    /** Whether every node the open round went to has answered. */
    public boolean allAnswered() {
        return roundOpen() && rounds.getLast().allAnswered();
    }

    /**
     * Takes in {@code bid} from {@code nodeId}: returns null if it stands (for now), else the reason it was
     * disqualified, which is recorded. {@code signatureValid} is asked only once the cheaper checks passed.
     */
    public String receive(String nodeId, Message.JobBid bid, BooleanSupplier signatureValid, double reputation) {
        Round round = byNonce(bid.nonce());
        String refused = refusal(nodeId, bid, round, signatureValid);
        if (refused != null) {
            record(
                    nodeId,
                    round == null ? 0 : round.number,
                    bid.price(),
                    bid.etaMs(),
                    reputation,
                    null,
                    "disqualified",
                    refused);
            return refused;
        }
        seenSignatures.add(bid.signature());
        round.revisions.merge(nodeId, 1, Integer::sum);
        round.declines.remove(nodeId); // a bid after a decline is the node changing its mind
        round.bids.put(
                nodeId,
                new Offer(
                        nodeId,
                        round.number,
                        bid.price(),
                        bid.etaMs(),
                        bid.freeSlots() == null ? 0 : bid.freeSlots(),
                        bid.resources()));
        return null;
    }

    private String refusal(String nodeId, Message.JobBid bid, Round round, BooleanSupplier signatureValid) {
        if (rounds.stream().noneMatch(r -> r.asked.contains(nodeId))) {
            return Disqualification.NOT_ANNOUNCED.reason("no round of this job went to it");
        }
        if (round == null) {
            return Disqualification.REPLAYED.reason("its nonce was not issued for this job");
        }
        if (!signatureValid.getAsBoolean()) {
            return Disqualification.BAD_SIGNATURE.reason(
                    bid.signature() == null ? "the bid is not signed" : "it does not verify with the node's key");
        }
        if (seenSignatures.contains(bid.signature())) {
            return Disqualification.REPLAYED.reason("identical to a bid already received");
        }
        if (round.closed) {
            Round newest = rounds.getLast();
            return newest != round && !newest.closed
                    ? Disqualification.REPLAYED.reason(
                            "signed for round " + round.number + ", round " + newest.number + " is open")
                    : Disqualification.LATE.reason("round " + round.number + " had closed");
        }
        if (!round.asked.contains(nodeId)) {
            return Disqualification.NOT_ANNOUNCED.reason("round " + round.number + " did not go to it");
        }
        if (round.revisions.getOrDefault(nodeId, 0) > bidRevisions) {
            return Disqualification.DUPLICATE.reason(
                    "it already bid " + round.revisions.get(nodeId) + " times in round " + round.number);
        }
        return null;
    }

    /** {@code nodeId} will not bid in the round {@code decline} names (if that is the open one). */
    public void decline(String nodeId, Message.JobDecline decline) {
        Round round = byNonce(decline.nonce());
        if (round != null && !round.closed && round.asked.contains(nodeId) && !round.bids.containsKey(nodeId)) {
            round.declines.putIfAbsent(nodeId, decline.reason() == null ? "no reason given" : decline.reason());
        }
    }

    /**
     * Closes the open round: records its declines and the nodes that did not answer, and returns its standing bids
     * for the caller to check against the job and rank.
     */
    public List<Offer> close() {
        Round round = rounds.getLast();
        round.closed = true;
        for (Map.Entry<String, String> d : round.declines.entrySet()) {
            record(d.getKey(), round.number, null, null, null, null, "declined", d.getValue());
        }
        for (String node : round.asked) {
            if (!round.bids.containsKey(node) && !round.declines.containsKey(node)) {
                record(node, round.number, null, null, null, null, "no_answer", "no bid before the window closed");
            }
        }
        return List.copyOf(round.bids.values());
    }

    /** Records how a bid of a closed round fared: won, lost or disqualified, with its score and the reason. */
    public void record(Offer offer, Double reputation, Double score, String outcome, String reason) {
        record(offer.nodeId(), offer.round(), offer.price(), offer.etaMs(), reputation, score, outcome, reason);
    }

    private void record(
            String nodeId,
            int round,
            Long price,
            Long etaMs,
            Double reputation,
            Double score,
            String outcome,
            String reason) {
        if (entries.size() < MAX_ENTRIES) {
            entries.add(new AuctionRecord.Bid(nodeId, round, price, etaMs, reputation, score, outcome, reason));
        }
    }

    /** Every answer recorded so far, oldest first. */
    public List<AuctionRecord.Bid> entries() {
        return List.copyOf(entries);
    }

    private Round byNonce(String nonce) {
        if (nonce == null) {
            return null;
        }
        for (Round round : rounds) {
            if (round.nonce.equals(nonce)) {
                return round;
            }
        }
        return null;
    }
}
