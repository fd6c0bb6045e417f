package org.planetarymesh.coordinator.market;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.Map;
import org.planetarymesh.coordinator.api.ApiException;
import org.planetarymesh.coordinator.api.Http;
import org.planetarymesh.store.StoreException;
import org.planetarymesh.store.market.Offering;

/**
 * {@code /v1/offerings}: the list with statistics, one offering, and a seller's publish, signed with its node's key
 * (the did:key it runs jobs under: the purchase's job is bound to that node).
 */
final class OfferingsApi {

    static final long DEFAULT_ACCEPT_WINDOW_MS = 600_000;
    private static final long MAX_PRICE = 1_000_000_000_000L;
    private static final long MAX_WINDOW_MS = 7L * 24 * 3600 * 1000;

    private final Market market;
    private final long maxBodyBytes;

    OfferingsApi(Market market, long maxBodyBytes) {
        this.market = market;
        this.maxBodyBytes = maxBodyBytes;
    }

    void list(Context ctx) {
        String seller = ctx.queryParam("seller");
        Http.json(
                ctx,
                200,
                Map.of(
                        "offerings",
                        market.store().offerings(seller).stream()
                                .map(MarketViews::offering)
                                .toList()));
    }

    void get(Context ctx) {
        String id = ctx.pathParam("id");
        Offering o =
                market.store().offering(id).orElseThrow(() -> new ApiException(404, "not_found", "no offering " + id));
        Http.json(ctx, 200, MarketViews.offering(o));
    }

    void publish(Context ctx) {
        JsonNode body = Http.jsonBody(ctx, Math.min(maxBodyBytes, 16 * 1024));
        String seller = text(body, "seller", 200);
        OfferingTerms terms = new OfferingTerms(
                text(body, "capability", 100),
                number(body, "price", 1, MAX_PRICE, null),
                number(body, "max_latency_ms", 1, PurchaseRunner.MAX_RUN_MS, null),
                flag(body, "auto_accept"),
                number(body, "accept_window_ms", 1_000, MAX_WINDOW_MS, DEFAULT_ACCEPT_WINDOW_MS),
                body.path("description").isTextual() ? body.path("description").asText() : "");
        if (terms.description().length() > 500) {
            throw AccountsApi.field("description", "must be at most 500 characters");
        }
        String signature = text(body, "signature", 200);
        if (!SignedAction.verifies(OfferingTerms.ACTION, terms.subject(), seller, signature)) {
            throw new ApiException(
                    401,
                    "invalid_signature",
                    "signature must be " + seller + "'s Ed25519 signature of {action: publish, subject: <RFC 8785 of"
                            + " the terms>, by: seller} (see docs/API.md, Marketplace)");
        }
        String id = terms.offeringId(seller);
        if (market.store().offering(id).isPresent()) {
            throw new ApiException(409, "offering_exists", "these signed terms are already offering " + id);
        }
        Offering o = Offering.of(
                id,
                seller,
                terms.capability(),
                terms.price(),
                terms.maxLatencyMs(),
                terms.autoAccept(),
                terms.acceptWindowMs(),
                terms.description(),
                market.now());
        try {
            market.store().publish(o);
        } catch (StoreException e) {
            if (market.store().offering(id).isPresent()) {
                throw new ApiException(409, "offering_exists", "these signed terms are already offering " + id);
            }
            throw e;
        }
        Http.json(ctx, 201, MarketViews.offering(o));
    }

    private static String text(JsonNode body, String field, int max) {
        JsonNode v = body.path(field);
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > max) {
            throw AccountsApi.field(field, "must be a non-empty string of at most " + max + " characters");
        }
        return v.asText();
    }

    private static long number(JsonNode body, String field, long min, long max, Long fallback) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() && fallback != null) {
            return fallback;
        }
        if (!v.canConvertToExactIntegral() || v.asLong() < min || v.asLong() > max) {
            throw AccountsApi.field(field, "must be a whole number from " + min + " to " + max);
        }
        return v.asLong();
    }

    private static boolean flag(JsonNode body, String field) {
        JsonNode v = body.path(field);
        if (v.isMissingNode()) {
            return true;
        }
        if (!v.isBoolean()) {
            throw AccountsApi.field(field, "must be true (accept every purchase at once) or false (accept by hand)");
        }
        return v.asBoolean();
    }
}
