package org.planetarymesh.coordinator.auction;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One announcement of a job: its nonce (which every bid must sign), the nodes it went to, when it closes, and the
 * answers so far: each node's latest bid, or its decline.
 */
final class Round {
    final int number;
    final String nonce;
    final Set<String> asked;
    final long closesAtMillis;
    boolean closed;
    final Map<String, Offer> bids = new LinkedHashMap<>();
    final Map<String, String> declines = new LinkedHashMap<>();
    final Map<String, Integer> revisions = new HashMap<>();

    Round(int number, String nonce, Set<String> asked, long closesAtMillis) {
        this.number = number;
        this.nonce = nonce;
        this.asked = Set.copyOf(asked);
        this.closesAtMillis = closesAtMillis;
    }

    /** Whether every node the round was announced to has bid or declined: the window may close early. */
    boolean allAnswered() {
        for (String node : asked) {
            if (!bids.containsKey(node) && !declines.containsKey(node)) {
                return false;
            }
        }
        return true;
    }
}
