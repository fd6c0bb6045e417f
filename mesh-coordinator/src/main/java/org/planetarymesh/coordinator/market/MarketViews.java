package org.planetarymesh.coordinator.market;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.store.market.Account;
import org.planetarymesh.store.market.LedgerLine;
import org.planetarymesh.store.market.Offering;
import org.planetarymesh.store.market.Purchase;

/** The JSON views of accounts, ledger lines, offerings and purchases (snake_case, times as ISO-8601). */
final class MarketViews {

    private MarketViews() {}

    static Map<String, Object> account(Account a) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", a.id());
        v.put("kind", a.kind());
        v.put("balance", a.balance());
        return v;
    }

    static Map<String, Object> line(LedgerLine l) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("seq", l.seq());
        v.put("movement", l.movementKey());
        v.put("kind", l.kind());
        v.put("purchase_id", l.purchaseId());
        v.put("amount", l.amount());
        v.put("at", time(l.createdAt()));
        return v;
    }

    static Map<String, Object> offering(Offering o) {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("sold", o.sold());
        stats.put("completed", o.completed());
        stats.put("disputed", o.disputed());
        stats.put("mean_latency_ms", o.meanLatencyMs());
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", o.id());
        v.put("seller", o.seller());
        v.put("capability", o.capability());
        v.put("price", o.price());
        v.put("fee", Settlement.feeOf(o.price()));
        v.put("max_latency_ms", o.maxLatencyMs());
        v.put("auto_accept", o.autoAccept());
        v.put("accept_window_ms", o.acceptWindowMs());
        v.put("description", o.description());
        v.put("created_at", time(o.createdAt()));
        v.put("stats", stats);
        return v;
    }

    static Map<String, Object> purchase(Purchase p) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", p.id());
        v.put("offering", p.offeringId());
        v.put("buyer", p.buyer());
        v.put("seller", p.seller());
        v.put("price", p.price());
        v.put("fee", p.fee());
        v.put("status", p.status().name());
        v.put("attempt", p.attempt());
        v.put("job_id", p.jobId());
        v.put("deliverables", json(p.result()));
        v.put("error", json(p.error()));
        v.put("created_at", time(p.createdAt()));
        v.put("updated_at", time(p.updatedAt()));
        v.put("accept_by", time(p.acceptBy()));
        v.put("accepted_at", p.acceptedAt() == null ? null : time(p.acceptedAt()));
        return v;
    }

    private static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    /** A stored JSON text as JSON; a plain message (an expiry's reason) as a string. */
    private static Object json(String text) {
        if (text == null) {
            return null;
        }
        try {
            JsonNode node = Json.mapper().readTree(text);
            return node.isContainerNode() ? node : text;
        } catch (java.io.IOException e) {
            return text;
        }
    }
}
