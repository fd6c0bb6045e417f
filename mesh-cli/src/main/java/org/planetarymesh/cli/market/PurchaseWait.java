package org.planetarymesh.cli.market;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import org.planetarymesh.cli.UserError;
import org.planetarymesh.client.MeshClient;

/** Polls a purchase until it reaches a status where it waits for nobody but a person. */
final class PurchaseWait {

    private static final Set<String> SETTLED = Set.of("COMPLETED", "DISPUTED", "REJECTED", "EXPIRED", "REFUNDED");

    private PurchaseWait() {}

    static JsonNode until(MeshClient client, String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode p = MarketCalls.call(client, "GET", "/v1/purchases/" + id, null);
            if (SETTLED.contains(p.path("status").asText())) {
                return p;
            }
            if (System.nanoTime() > deadline) {
                throw new UserError(
                        "timeout",
                        "purchase " + id + " is still " + p.path("status").asText() + " after " + timeout);
            }
            try {
                Thread.sleep(200); // a poll interval, not synchronisation: the purchase is read each time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("interrupted", "interrupted while waiting for purchase " + id);
            }
        }
    }
}
