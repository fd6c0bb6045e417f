package org.planetarymesh.cli;

import java.util.Locale;
import org.planetarymesh.core.job.AuctionRecord;

/**
 * The auction part of {@code mesh job ID}: how the job was placed (standing offer, bids, runner-up), at what price, and
 * every answer of every round with its price, eta, reputation, score and why it lost or was disqualified.
 */
final class AuctionDetail {

    private AuctionDetail() {}

    static void render(StringBuilder out, AuctionRecord auction) {
        out.append("\nAuction (")
                .append(auction.mode().replace('_', ' '))
                .append(", ")
                .append(auction.selection())
                .append(", ")
                .append(auction.rounds())
                .append(auction.rounds() == 1 ? " round" : " rounds");
        if (auction.maxPrice() != null) {
            out.append(", max price ").append(auction.maxPrice());
        }
        if (auction.price() != null) {
            out.append(", agreed price ").append(auction.price());
        }
        out.append(")\n");
        if (auction.bids().isEmpty()) {
            out.append("  No bids.\n");
            return;
        }
        Table table = new Table("ROUND", "NODE", "PRICE", "ETA MS", "REPUTATION", "SCORE", "OUTCOME", "WHY");
        for (AuctionRecord.Bid b : auction.bids()) {
            table.row(
                    b.round() == 0 ? "-" : Integer.toString(b.round()),
                    b.nodeId(),
                    b.price(),
                    b.etaMs(),
                    b.reputation() == null ? null : String.format(Locale.ROOT, "%.3f", b.reputation()),
                    b.score() == null ? null : String.format(Locale.ROOT, "%.3f", b.score()),
                    b.outcome(),
                    b.reason());
        }
        table.render().lines().forEach(line -> out.append("  ").append(line).append('\n'));
    }
}
