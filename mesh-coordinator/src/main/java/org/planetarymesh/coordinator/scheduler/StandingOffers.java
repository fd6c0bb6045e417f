package org.planetarymesh.coordinator.scheduler;

import java.util.List;
import java.util.Set;
import org.planetarymesh.coordinator.auction.Reputation;
import org.planetarymesh.core.job.AuctionRecord;
import org.planetarymesh.core.job.BidSelection;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.Routing;

/**
 * Standing offers: the prices a node advertises in its heartbeats, for as many jobs as it says it has free slots. An
 * auction job whose cheapest standing offer (then the better reputation) is within its {@code max_price} and
 * {@code min_reputation}, on a node that can take it now, is placed there at once, without a round of bids; its
 * routing says {@code standing_offer}.
 */
final class StandingOffers {

    private StandingOffers() {}

    /** The best standing offer within the job's limits, placed at once, or null. */
    static Placer.Verdict place(
            Job job, Set<String> failed, PlacementContext context, Reputation reputation, BidSelection selection) {
        Long maxPrice = job.spec().placement().maxPrice();
        Double minReputation = job.spec().requirements().minReputation();
        NodeState best = null;
        long bestPrice = 0;
        double bestRep = 0;
        for (NodeState node : context.nodes()) {
            Long price = node.standingPrice(job.spec().type());
            if (price == null
                    || failed.contains(node.id)
                    || (maxPrice != null && price > maxPrice)
                    || Eligibility.rejection(job, node) != null) {
                continue;
            }
            double rep = reputation.score(node.id);
            if (minReputation != null && rep < minReputation) {
                continue;
            }
            if (best == null || price < bestPrice || (price == bestPrice && rep > bestRep)) {
                best = node;
                bestPrice = price;
                bestRep = rep;
            }
        }
        if (best == null) {
            return null;
        }
        best.offerSlots--;
        AuctionRecord record = new AuctionRecord(
                "standing_offer",
                selection.wireName(),
                0,
                maxPrice,
                bestPrice,
                List.of(new AuctionRecord.Bid(
                        best.id, 0, bestPrice, null, bestRep, null, "won", "standing offer from its heartbeat")),
                null);
        return new Placer.Verdict.Placed(
                best,
                new Routing(
                        "auction",
                        best.id,
                        List.of(new Routing.Candidate(best.id, 1.0, null)),
                        List.of(),
                        context.now(),
                        record));
    }
}
