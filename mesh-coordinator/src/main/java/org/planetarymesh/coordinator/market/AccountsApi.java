package org.planetarymesh.coordinator.market;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.planetarymesh.coordinator.api.ApiException;
import org.planetarymesh.coordinator.api.Http;
import org.planetarymesh.coordinator.auth.Principal;
import org.planetarymesh.coordinator.auth.Role;
import org.planetarymesh.core.identity.DidKey;
import org.planetarymesh.store.market.Account;
import org.planetarymesh.store.market.Accounts;
import org.planetarymesh.store.market.SettleOutcome;

/** {@code /v1/accounts/{id}}: a balance, its ledger, and an admin's mint. */
final class AccountsApi {

    private static final int MAX_LEDGER_LIMIT = 1000;
    private static final long MAX_MINT = 1_000_000_000_000L;

    private final Market market;
    private final long maxBodyBytes;

    AccountsApi(Market market, long maxBodyBytes) {
        this.market = market;
        this.maxBodyBytes = maxBodyBytes;
    }

    void get(Context ctx) {
        Http.json(ctx, 200, MarketViews.account(account(ctx.pathParam("id"))));
    }

    void ledger(Context ctx) {
        Account a = account(ctx.pathParam("id"));
        int limit = intParam(ctx, "limit", 100, 1, MAX_LEDGER_LIMIT);
        long before = intParam(ctx, "before", 0, 0, Long.MAX_VALUE);
        var lines = market.store().ledger(a.id(), before, limit);
        Http.json(
                ctx,
                200,
                Map.of(
                        "account",
                        MarketViews.account(a),
                        "entries",
                        lines.stream().map(MarketViews::line).toList()));
    }

    void mint(Context ctx) {
        Principal who = ctx.attribute(Principal.ATTRIBUTE);
        if (who == null || who.role() != Role.ADMIN) {
            throw new ApiException(403, "forbidden", "minting credits needs an admin token");
        }
        String id = ctx.pathParam("id");
        requireUserAccount(id);
        JsonNode body = Http.jsonBody(ctx, Math.min(maxBodyBytes, 4096));
        JsonNode amount = body.path("amount");
        if (!amount.canConvertToExactIntegral() || amount.asLong() <= 0 || amount.asLong() > MAX_MINT) {
            throw field("amount", "must be a whole number of credits from 1 to " + MAX_MINT);
        }
        JsonNode keyNode = body.path("key");
        if (!keyNode.isMissingNode()
                && (!keyNode.isTextual()
                        || keyNode.asText().isBlank()
                        || keyNode.asText().length() > 128)) {
            throw field("key", "must be a string of 1 to 128 characters (it makes a retried mint a no-op)");
        }
        String key = keyNode.isTextual() ? keyNode.asText() : UUID.randomUUID().toString();
        SettleOutcome out = market.settlement().mint(id, amount.asLong(), key);
        boolean applied = out instanceof SettleOutcome.Applied;
        Http.json(
                ctx,
                applied ? 201 : 200,
                Map.of(
                        "account",
                        MarketViews.account(account(id)),
                        "minted",
                        applied ? amount.asLong() : 0,
                        "key",
                        key,
                        "duplicate",
                        !applied));
    }

    private Account account(String id) {
        return market.store().account(id).orElseGet(() -> {
            requireUserAccount(id);
            return new Account(id, "user", 0, 0);
        });
    }

    /** A user account is named by a did:key (the key that signs its payments). */
    private static void requireUserAccount(String id) {
        if (Accounts.platform(id)) {
            throw new ApiException(422, "invalid_account", id + " is a platform account: credits are minted to users");
        }
        try {
            DidKey.toEd25519(id);
        } catch (IllegalArgumentException e) {
            throw new ApiException(
                    404, "not_found", "no account " + id + ": user accounts are did:key ids (" + e.getMessage() + ")");
        }
    }

    private static long intParam(Context ctx, String name, long fallback, long min, long max) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return fallback;
        }
        try {
            long v = Long.parseLong(raw);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ApiException(
                400,
                "bad_request",
                "query parameter " + name + " must be an integer from " + min + " to " + max + ", got " + raw);
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        return (int) intParam(ctx, name, (long) fallback, min, max);
    }

    static ApiException field(String field, String message) {
        return new ApiException(
                422, "invalid_request", field + " " + message, List.of(Map.of("field", field, "message", message)));
    }
}
