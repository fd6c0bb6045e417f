package org.planetarymesh.coordinator.market;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.Map;
import org.planetarymesh.coordinator.api.ApiException;
import org.planetarymesh.coordinator.api.Http;
import org.planetarymesh.coordinator.auth.Principal;
import org.planetarymesh.coordinator.auth.Role;
import org.planetarymesh.store.market.Offering;
import org.planetarymesh.store.market.Purchase;
import org.planetarymesh.store.market.PurchaseStatus;
import org.planetarymesh.store.market.SettleOutcome;

/**
 * {@code /v1/purchases}: buying x402-style (402 with the requirements, then {@code X-PAYMENT}), reading purchases,
 * and the parties' signed actions: the seller accepts or rejects, the buyer (or an admin) resolves a dispute by refund
 * or retry.
 */
final class PurchasesApi {

    private static final int MAX_LIST = 500;

    private final Market market;
    private final long maxBodyBytes;

    PurchasesApi(Market market, long maxBodyBytes) {
        this.market = market;
        this.maxBodyBytes = maxBodyBytes;
    }

    void buy(Context ctx) {
        JsonNode body = Http.jsonBody(ctx, maxBodyBytes);
        JsonNode offeringId = body.path("offering");
        if (!offeringId.isTextual()) {
            throw AccountsApi.field("offering", "must be the id of an offering (GET /v1/offerings)");
        }
        Offering offering = market.store()
                .offering(offeringId.asText())
                .filter(o -> o.withdrawnAt() == null)
                .orElseThrow(() -> new ApiException(404, "not_found", "no offering " + offeringId.asText()));
        String payload = body.has("payload") ? body.get("payload").toString() : null;
        Map<String, Object> requirements = X402.requirements(offering, market.network());
        String header = ctx.header(X402.PAYMENT_HEADER);
        if (header == null || header.isBlank()) {
            paymentRequired(
                    ctx,
                    "payment_required",
                    "send the request again with an X-PAYMENT header: the"
                            + " requirement below signed by your did:key",
                    requirements);
            return;
        }
        PaymentAuthorization paid;
        try {
            paid = market.payments().verify(header, offering, market.now());
        } catch (PaymentRefused e) {
            paymentRequired(ctx, e.code(), e.getMessage(), requirements);
            return;
        }
        String id = Settlement.newPurchaseId();
        SettleOutcome out = market.settlement().buy(id, offering, paid.from(), paid.nonce(), payload);
        switch (out) {
            case SettleOutcome.Applied applied -> {
                if (offering.autoAccept()) {
                    accepted(id);
                }
                Purchase p = market.store().purchase(id).orElseThrow();
                ctx.header(
                        X402.RESPONSE_HEADER,
                        X402.response(Settlement.paymentKey(paid.from(), paid.nonce()), market.network(), paid.from()));
                Http.json(ctx, 201, MarketViews.purchase(p));
            }
            case SettleOutcome.Duplicate d ->
                paymentRequired(
                        ctx,
                        "payment_replayed",
                        "this payment (nonce " + paid.nonce() + ") was already used for purchase " + d.purchaseId()
                                + ": sign a new one",
                        requirements);
            case SettleOutcome.Insufficient s ->
                paymentRequired(
                        ctx,
                        "insufficient_balance",
                        "account " + s.accountId() + " holds " + s.balance() + " credits; the price is "
                                + offering.price(),
                        requirements);
            case SettleOutcome.NoOffering n ->
                throw new ApiException(404, "not_found", "offering " + n.offeringId() + " was withdrawn");
            case SettleOutcome.WrongState w -> throw new IllegalStateException("a new purchase cannot be " + w);
        }
    }

    void list(Context ctx) {
        String statusText = ctx.queryParam("status");
        PurchaseStatus status = statusText == null ? null : PurchaseStatus.parse(statusText);
        if (statusText != null && status == null) {
            throw new ApiException(
                    400,
                    "bad_request",
                    "status must be one of CREATED, ACCEPTED, DELIVERING,"
                            + " COMPLETED, DISPUTED, REJECTED, EXPIRED, REFUNDED; got " + statusText);
        }
        var purchases = market.store().purchases(ctx.queryParam("party"), status, MAX_LIST);
        Http.json(
                ctx,
                200,
                Map.of(
                        "purchases",
                        purchases.stream().map(MarketViews::purchase).toList()));
    }

    void get(Context ctx) {
        Http.json(ctx, 200, MarketViews.purchase(purchase(ctx)));
    }

    void accept(Context ctx) {
        Purchase p = purchase(ctx);
        signedBy(ctx, "accept", p, p.seller(), false);
        answer(ctx, p, market.settlement().accept(p.id()), PurchaseStatus.ACCEPTED);
        accepted(p.id());
    }

    void reject(Context ctx) {
        Purchase p = purchase(ctx);
        signedBy(ctx, "reject", p, p.seller(), false);
        answer(ctx, p, market.settlement().reject(p.id()), PurchaseStatus.REJECTED);
    }

    void refund(Context ctx) {
        Purchase p = purchase(ctx);
        signedBy(ctx, "refund", p, p.buyer(), true);
        answer(ctx, p, market.settlement().refund(p.id()), PurchaseStatus.REFUNDED);
    }

    void retry(Context ctx) {
        Purchase p = purchase(ctx);
        signedBy(ctx, "retry", p, p.buyer(), true);
        answer(ctx, p, market.settlement().retry(p.id()), PurchaseStatus.ACCEPTED);
        accepted(p.id());
    }

    /** A new price for a DISPUTED purchase, signed by both parties: it completes at that price. */
    void renegotiate(Context ctx) {
        Purchase p = purchase(ctx);
        JsonNode body = Http.jsonBody(ctx, Math.min(maxBodyBytes, 4096));
        JsonNode price = body.path("price");
        if (!price.canConvertToExactIntegral() || price.asLong() < 1 || price.asLong() > p.price()) {
            throw AccountsApi.field(
                    "price",
                    "must be a whole number from 1 to the price paid, " + p.price()
                            + " (a higher price needs a new purchase)");
        }
        String subject = SignedAction.renegotiation(p.id(), price.asLong());
        for (String[] party : new String[][] {{"buyer_signature", p.buyer()}, {"seller_signature", p.seller()}}) {
            if (!SignedAction.verifies(
                    "renegotiate", subject, party[1], body.path(party[0]).asText())) {
                throw new ApiException(
                        401,
                        "invalid_signature",
                        party[0] + " must be " + party[1] + "'s Ed25519"
                                + " signature of {action: renegotiate, subject: \"" + subject + "\", by}");
            }
        }
        answer(ctx, p, market.settlement().renegotiate(p.id(), price.asLong()), PurchaseStatus.COMPLETED);
    }

    private void accepted(String purchaseId) {
        market.runner().accepted(purchaseId);
    }

    private Purchase purchase(Context ctx) {
        String id = ctx.pathParam("id");
        return market.store().purchase(id).orElseThrow(() -> new ApiException(404, "not_found", "no purchase " + id));
    }

    /** The body must be {@code party}'s signed {@code action} on the purchase; an admin token may act for a buyer. */
    private void signedBy(Context ctx, String action, Purchase p, String party, boolean adminMay) {
        Principal who = ctx.attribute(Principal.ATTRIBUTE);
        // An admin resolving a dispute may send no body at all.
        JsonNode body = ctx.req().getContentLengthLong() == 0 ? null : Http.jsonBody(ctx, Math.min(maxBodyBytes, 4096));
        if (adminMay && who != null && who.role() == Role.ADMIN && (body == null || !body.has("signature"))) {
            return;
        }
        if (body == null
                || !body.path("by").isTextual()
                || !body.path("signature").isTextual()) {
            throw new ApiException(
                    401,
                    "signature_required",
                    action + " needs a body {\"by\": \"" + party
                            + "\", \"signature\": ...}: the Ed25519 signature of {action: " + action + ", subject: "
                            + p.id()
                            + ", by} by that key" + (adminMay ? " (or an admin token)" : ""));
        }
        String by = body.path("by").asText();
        if (!by.equals(party)) {
            throw new ApiException(
                    403, "forbidden", action + " on " + p.id() + " must be signed by " + party + ", not " + by);
        }
        if (!SignedAction.verifies(action, p.id(), by, body.path("signature").asText())) {
            throw new ApiException(
                    401,
                    "invalid_signature",
                    "signature is not " + by + "'s Ed25519 signature of" + " {action: " + action + ", subject: "
                            + p.id() + ", by}");
        }
    }

    private void answer(Context ctx, Purchase before, SettleOutcome out, PurchaseStatus to) {
        if (out instanceof SettleOutcome.WrongState w) {
            throw new ApiException(
                    409,
                    "wrong_status",
                    "purchase " + before.id() + " is "
                            + (w.current() == null ? "gone" : w.current().name()) + "; only a purchase that is "
                            + to.predecessors() + " can become " + to.name());
        }
        Http.json(
                ctx,
                200,
                MarketViews.purchase(market.store().purchase(before.id()).orElseThrow()));
    }

    private static void paymentRequired(Context ctx, String error, String message, Map<String, Object> requirements) {
        Http.json(ctx, 402, X402.paymentRequired(error, message, requirements));
    }
}
