package org.planetarymesh.coordinator.market;

import java.time.InstantSource;
import java.util.List;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.store.market.Accounts;
import org.planetarymesh.store.market.Change;
import org.planetarymesh.store.market.Entry;
import org.planetarymesh.store.market.MarketStore;
import org.planetarymesh.store.market.Movement;
import org.planetarymesh.store.market.MovementKind;
import org.planetarymesh.store.market.Offering;
import org.planetarymesh.store.market.Purchase;
import org.planetarymesh.store.market.PurchaseStatus;
import org.planetarymesh.store.market.SettleOutcome;

/**
 * The one settlement service: every purchase transition and every credit it moves goes through here, as one store
 * transaction with a movement key derived from the purchase, so a settlement retried after a crash or a race lands
 * once. Callers check who may do what; this class only knows money and the state machine.
 */
public final class Settlement {

    /** The platform's fee in basis points: 2%. */
    public static final long FEE_BASIS_POINTS = 200;

    private final MarketStore store;
    private final InstantSource clock;

    public Settlement(MarketStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The fee on {@code price} credits: 2%, rounded down, so the seller never gets less than 98%. */
    public static long feeOf(long price) {
        return Math.multiplyExact(price, FEE_BASIS_POINTS) / 10_000;
    }

    /** Creates {@code amount} credits in {@code accountId}; {@code key} makes a retried mint a no-op. */
    public SettleOutcome mint(String accountId, long amount, String key) {
        if (Accounts.platform(accountId)) {
            throw new IllegalArgumentException("credits are minted to a user account, not " + accountId);
        }
        Movement m = Movement.transfer("mint:" + key, MovementKind.MINT, null, Accounts.ISSUANCE, accountId, amount);
        return store.settle(m, null, now());
    }

    /**
     * A buyer's payment: {@code offering}'s price moves from {@code buyer} into escrow and purchase {@code purchaseId}
     * is created, in one transaction. The payment's nonce keys the movement, so a replayed payment moves nothing
     * ({@code Duplicate}).
     */
    public SettleOutcome buy(String purchaseId, Offering offering, String buyer, String nonce, String payload) {
        long at = now();
        long price = offering.price();
        Purchase p = new Purchase(
                purchaseId,
                offering.id(),
                buyer,
                offering.seller(),
                price,
                feeOf(price),
                PurchaseStatus.CREATED,
                payload,
                0,
                null,
                null,
                null,
                at,
                at,
                at + offering.acceptWindowMs(),
                null);
        Movement m = Movement.transfer(
                paymentKey(buyer, nonce), MovementKind.ESCROW, purchaseId, buyer, Accounts.ESCROW, price);
        return store.settle(m, new Change.Create(p), at);
    }

    /** The movement key of a buyer's payment: one per nonce. */
    public static String paymentKey(String buyer, String nonce) {
        return "pay:" + buyer + ":" + nonce;
    }

    /** A new purchase id. */
    public static String newPurchaseId() {
        return "pur_" + JobIds.next();
    }

    /** CREATED → ACCEPTED (the seller, or an auto-accepting offering, took it). */
    public SettleOutcome accept(String purchaseId) {
        long at = now();
        return store.settle(
                null, new Change.Transition(purchaseId, PurchaseStatus.ACCEPTED, null, null, null, false, at, 0), at);
    }

    /** CREATED → REJECTED, escrow back to the buyer. */
    public SettleOutcome reject(String purchaseId) {
        return refundTo(purchaseId, PurchaseStatus.REJECTED, null);
    }

    /** CREATED → EXPIRED (not accepted in time), escrow back to the buyer. */
    public SettleOutcome expire(String purchaseId) {
        return refundTo(purchaseId, PurchaseStatus.EXPIRED, "not accepted before its acceptance window closed");
    }

    /** DISPUTED → REFUNDED, escrow back to the buyer. */
    public SettleOutcome refund(String purchaseId) {
        return refundTo(purchaseId, PurchaseStatus.REFUNDED, null);
    }

    /** ACCEPTED → DELIVERING: its job {@code jobId} runs. */
    public SettleOutcome delivering(String purchaseId, String jobId) {
        return store.settle(
                null,
                new Change.Transition(purchaseId, PurchaseStatus.DELIVERING, jobId, null, null, false, null, 0),
                now());
    }

    /** ACCEPTED|DELIVERING → COMPLETED: escrow to the seller minus the fee, the fee to the platform. */
    public SettleOutcome complete(String purchaseId, String result) {
        Purchase p = store.purchase(purchaseId).orElse(null);
        if (p == null) {
            return new SettleOutcome.WrongState(purchaseId, null);
        }
        long at = now();
        long latency = p.acceptedAt() == null ? 0 : at - p.acceptedAt();
        List<Entry> entries = p.fee() == 0
                ? List.of(new Entry(Accounts.ESCROW, -p.price()), new Entry(p.seller(), p.price()))
                : List.of(
                        new Entry(Accounts.ESCROW, -p.price()),
                        new Entry(p.seller(), p.price() - p.fee()),
                        new Entry(Accounts.FEES, p.fee()));
        Movement m = new Movement("release:" + purchaseId, MovementKind.RELEASE, purchaseId, null, entries);
        return store.settle(
                m,
                new Change.Transition(purchaseId, PurchaseStatus.COMPLETED, null, result, null, false, null, latency),
                at);
    }

    /** ACCEPTED|DELIVERING → DISPUTED with the failure's context; escrow stays until a refund or a retry. */
    public SettleOutcome fail(String purchaseId, String error) {
        return store.settle(
                null,
                new Change.Transition(purchaseId, PurchaseStatus.DISPUTED, null, null, error, false, null, 0),
                now());
    }

    /**
     * DISPUTED → COMPLETED at {@code newPrice} (at most the price paid), which buyer and seller both signed: the seller
     * gets {@code newPrice} minus its 2% fee, the fee account the fee, the buyer the rest of the escrow back.
     */
    public SettleOutcome renegotiate(String purchaseId, long newPrice) {
        Purchase p = store.purchase(purchaseId).orElse(null);
        if (p == null) {
            return new SettleOutcome.WrongState(purchaseId, null);
        }
        if (newPrice <= 0 || newPrice > p.price()) {
            throw new IllegalArgumentException("a re-negotiated price is from 1 to the price paid, " + p.price());
        }
        long fee = feeOf(newPrice);
        List<Entry> entries = new java.util.ArrayList<>();
        entries.add(new Entry(Accounts.ESCROW, -p.price()));
        entries.add(new Entry(p.seller(), newPrice - fee));
        if (fee > 0) {
            entries.add(new Entry(Accounts.FEES, fee));
        }
        if (newPrice < p.price()) {
            entries.add(new Entry(p.buyer(), p.price() - newPrice));
        }
        Movement m = new Movement("release:" + purchaseId, MovementKind.RELEASE, purchaseId, "renegotiated", entries);
        String result = "{\"renegotiated_price\":" + newPrice + "}";
        return store.settle(
                m,
                new Change.Transition(purchaseId, PurchaseStatus.COMPLETED, null, result, null, false, null, 0),
                now());
    }

    /** DISPUTED → ACCEPTED as the next attempt: the job runs again. */
    public SettleOutcome retry(String purchaseId) {
        long at = now();
        return store.settle(
                null, new Change.Transition(purchaseId, PurchaseStatus.ACCEPTED, null, null, null, true, at, 0), at);
    }

    private SettleOutcome refundTo(String purchaseId, PurchaseStatus to, String error) {
        Purchase p = store.purchase(purchaseId).orElse(null);
        if (p == null) {
            return new SettleOutcome.WrongState(purchaseId, null);
        }
        Movement m = Movement.transfer(
                "refund:" + purchaseId, MovementKind.REFUND, purchaseId, Accounts.ESCROW, p.buyer(), p.price());
        return store.settle(m, new Change.Transition(purchaseId, to, null, null, error, false, null, 0), now());
    }

    private long now() {
        return clock.millis();
    }

    /** The store this service settles in. */
    public MarketStore store() {
        return store;
    }
}
