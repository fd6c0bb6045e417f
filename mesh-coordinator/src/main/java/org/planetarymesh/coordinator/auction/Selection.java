package org.planetarymesh.coordinator.auction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.planetarymesh.core.job.BidSelection;

/**
 * Ranks a round's acceptable bids under a job's selection policy, best first, and says why each loser lost. Scores are
 * 0..1, higher is better, normalised within the round: {@code lowest_price} scores (cheapest + 1) / (price + 1),
 * {@code fastest} the same of eta, and {@code best_value} weighs those two and the node's reputation. A node that
 * already failed this job ranks after every other, whatever it offers: it is never the first choice again.
 */
public final class Selection {

    private Selection() {}

    /** A bid with its bidder's reputation, its score, and whether its node failed this job before. */
    public record Ranked(Offer offer, double reputation, double score, boolean failedBefore) {}

    /** {@code offers} ranked best first. */
    public static List<Ranked> rank(
            List<Offer> offers,
            BidSelection policy,
            AuctionSettings.Weights weights,
            ToDoubleFunction<String> reputation,
            Set<String> failedBefore) {
        long cheapest = offers.stream().mapToLong(Offer::price).min().orElse(0);
        long soonest = offers.stream().mapToLong(Offer::etaMs).min().orElse(0);
        List<Ranked> ranked = new ArrayList<>(offers.size());
        for (Offer offer : offers) {
            double rep = reputation.applyAsDouble(offer.nodeId());
            double price = (cheapest + 1.0) / (offer.price() + 1.0);
            double eta = (soonest + 1.0) / (offer.etaMs() + 1.0);
            double score = switch (policy) {
                case LOWEST_PRICE -> price;
                case FASTEST -> eta;
                case BEST_VALUE -> weights.price() * price + weights.eta() * eta + weights.reputation() * rep;
            };
            ranked.add(new Ranked(offer, rep, round(score), failedBefore.contains(offer.nodeId())));
        }
        ranked.sort(order(policy));
        return ranked;
    }

    private static Comparator<Ranked> order(BidSelection policy) {
        Comparator<Ranked> byScore = Comparator.comparing(Ranked::failedBefore)
                .thenComparing(Comparator.comparingDouble(Ranked::score).reversed());
        Comparator<Ranked> ties = switch (policy) {
            case LOWEST_PRICE ->
                Comparator.comparingLong((Ranked r) -> r.offer().etaMs());
            case FASTEST, BEST_VALUE ->
                Comparator.comparingLong((Ranked r) -> r.offer().price());
        };
        return byScore.thenComparing(ties)
                .thenComparing(Comparator.comparingDouble(Ranked::reputation).reversed())
                .thenComparing(r -> r.offer().nodeId());
    }

    /** Why {@code loser} did not win against {@code winner}, in the policy's terms. */
    public static String whyLost(Ranked loser, Ranked winner, BidSelection policy) {
        if (loser.failedBefore() && !winner.failedBefore()) {
            return "failed this job before: ranked after every other bid";
        }
        Offer l = loser.offer();
        Offer w = winner.offer();
        return switch (policy) {
            case LOWEST_PRICE ->
                l.price() != w.price()
                        ? "price " + l.price() + " above the winner's " + w.price()
                        : "same price as the winner; eta " + l.etaMs() + " ms against " + w.etaMs() + " ms";
            case FASTEST ->
                l.etaMs() != w.etaMs()
                        ? "eta " + l.etaMs() + " ms behind the winner's " + w.etaMs() + " ms"
                        : "same eta as the winner; price " + l.price() + " against " + w.price();
            case BEST_VALUE -> "score " + loser.score() + " below the winner's " + winner.score();
        };
    }

    private static double round(double score) {
        return Math.round(score * 10_000) / 10_000.0;
    }
}
