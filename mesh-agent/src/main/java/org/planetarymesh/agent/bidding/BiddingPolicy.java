package org.planetarymesh.agent.bidding;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How this agent prices the jobs it is offered in auctions ({@code bid_*} settings). A job of type T costs the per-job
 * price of T plus the per-second price of T times the job's {@code timeout_ms} in whole seconds (one second when it
 * has none: a quote needs a bound), and never less than {@code minPrice}; {@code *} prices every type without its own
 * entry. With no prices at all the agent bids {@code minPrice}. The agent never bids above its capacity: with no free
 * slot it declines.
 *
 * @param enabled whether the agent bids at all (off: it declines every announcement)
 * @param pricePerJob job type → credits per job
 * @param pricePerSecond job type → credits per second of the job's time limit
 * @param minPrice the least it bids
 * @param etaMs job type → milliseconds until it would start a job of that type (its {@code eta_ms}; default 0)
 * @param standingOffers whether its heartbeats carry its per-job prices as standing offers, so the coordinator may
 *     place a job on it without a round of bids
 */
public record BiddingPolicy(
        boolean enabled,
        Map<String, Long> pricePerJob,
        Map<String, Long> pricePerSecond,
        long minPrice,
        Map<String, Long> etaMs,
        boolean standingOffers) {

    /** Bids its minimum price, 0, on every job; no standing offers. */
    public static final BiddingPolicy DEFAULT = new BiddingPolicy(true, Map.of(), Map.of(), 0, Map.of(), false);

    public BiddingPolicy {
        pricePerJob = Map.copyOf(pricePerJob);
        pricePerSecond = Map.copyOf(pricePerSecond);
        etaMs = Map.copyOf(etaMs);
    }

    /** The price of a job of {@code type} limited to {@code timeoutMs} (null: none). */
    public long price(String type, Long timeoutMs) {
        long perJob = lookup(pricePerJob, type, 0);
        long perSecond = lookup(pricePerSecond, type, 0);
        long seconds = timeoutMs == null || timeoutMs <= 0 ? 1 : (timeoutMs + 999) / 1_000;
        long price = saturatedAdd(perJob, saturatedMultiply(perSecond, seconds));
        return Math.max(minPrice, price);
    }

    /** How soon it would start a job of {@code type}, in milliseconds. */
    public long eta(String type) {
        return lookup(etaMs, type, 0);
    }

    /**
     * Its standing offer: the per-job price of each type it prices by the job alone (a per-second price needs the job's
     * time limit, so such types are left to a round of bids); empty when standing offers are off.
     */
    public Map<String, Long> standingPrices() {
        if (!enabled || !standingOffers) {
            return Map.of();
        }
        Map<String, Long> prices = new LinkedHashMap<>();
        pricePerJob.forEach((type, price) -> {
            if (!pricePerSecond.containsKey(type)) {
                prices.put(type, Math.max(minPrice, price));
            }
        });
        if (pricePerJob.isEmpty() && pricePerSecond.isEmpty()) {
            prices.put("*", minPrice);
        }
        return prices;
    }

    private static long lookup(Map<String, Long> prices, String type, long otherwise) {
        Long exact = prices.get(type);
        if (exact != null) {
            return exact;
        }
        return prices.getOrDefault("*", otherwise);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }
}
