package org.planetarymesh.coordinator.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.planetarymesh.store.Database;
import org.planetarymesh.store.market.Account;
import org.planetarymesh.store.market.Accounts;
import org.planetarymesh.store.market.Offering;
import org.planetarymesh.store.market.Purchase;
import org.planetarymesh.store.market.PurchaseStatus;
import org.planetarymesh.store.market.SettleOutcome;

/**
 * The ledger property test (issue 42): 10,000 random operations through the real settlement service on a real
 * database — sequential ones checked against a model of balances and statuses, and bursts of concurrent ones aimed at
 * the same purchases and the same movement keys — with the invariants ({@link LedgerInvariants}) checked after every
 * step.
 */
abstract class LedgerPropertyContract {

    private static final int SEQUENTIAL_STEPS = 9_000;
    private static final int BURSTS = 125;
    private static final int BURST_OPS = 8;
    private static final List<String> BUYERS =
            List.of("did:key:buyer-0", "did:key:buyer-1", "did:key:buyer-2", "did:key:buyer-3", "did:key:seller-0");
    private static final List<String> SELLERS = List.of("did:key:seller-0", "did:key:seller-1", "did:key:seller-2");

    /** A fresh database's store URL and a plain JDBC URL of the same database. */
    protected abstract String[] freshDatabase();

    private final AtomicLong millis =
            new AtomicLong(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
    private final Map<String, Long> balances = new HashMap<>();
    private final Map<String, Purchase> purchases = new HashMap<>();
    private final List<String> purchaseIds = new ArrayList<>();
    private final List<String[]> usedPayments = new ArrayList<>();
    private final List<Offering> offerings = new ArrayList<>();
    private long minted;
    private int nonces;
    private int ops;

    @Test
    void tenThousandRandomOperationsKeepEveryInvariant() throws Exception {
        String[] urls = freshDatabase();
        long seed = Long.getLong("ledger.seed", System.nanoTime());
        Random random = new Random(seed);
        try (Database db = Database.open(urls[0]);
                LedgerInvariants invariants = new LedgerInvariants(urls[1]);
                ExecutorService pool = Executors.newFixedThreadPool(4)) {
            Settlement settlement = new Settlement(db.market(), clock());
            for (int i = 0; i < SELLERS.size() * 2; i++) {
                Offering o = Offering.of(
                        "off-" + i,
                        SELLERS.get(i % SELLERS.size()),
                        "echo",
                        i == 0 ? 30 : 1 + random.nextInt(600),
                        10_000,
                        i % 2 == 0,
                        1_000,
                        "offering " + i,
                        millis.get());
                db.market().publish(o);
                offerings.add(o);
            }
            int burstEvery = SEQUENTIAL_STEPS / BURSTS;
            for (int step = 1; step <= SEQUENTIAL_STEPS; step++) {
                sequentialStep(settlement, random, "seed " + seed + " step " + step);
                invariants.checkStep(minted);
                if (step % burstEvery == 0) {
                    burst(settlement, random, pool);
                    invariants.checkStep(minted);
                    resyncModel(db);
                }
                if (step % 500 == 0) {
                    invariants.checkAll(minted);
                }
            }
            invariants.checkAll(minted);
        }
        assertThat(ops).as("operations driven").isGreaterThanOrEqualTo(10_000);
        assertThat(purchases.values().stream().map(Purchase::status).distinct())
                .as("the run reached every purchase status")
                .containsExactlyInAnyOrder(PurchaseStatus.values());
    }

    private InstantSource clock() {
        return () -> Instant.ofEpochMilli(millis.get());
    }

    private void sequentialStep(Settlement s, Random r, String where) {
        ops++;
        millis.addAndGet(1 + r.nextInt(50));
        int dice = r.nextInt(100);
        if (dice < 10) {
            mint(s, r);
        } else if (dice < 35) {
            buy(s, r, where);
        } else if (dice < 38) {
            replay(s, r, where);
        } else if (!purchaseIds.isEmpty()) {
            transition(s, r, where);
        }
    }

    private void mint(Settlement s, Random r) {
        String account = BUYERS.get(r.nextInt(BUYERS.size()));
        long amount = 1 + r.nextInt(2_000);
        SettleOutcome out = s.mint(account, amount, "m" + nonces++);
        assertThat(out).isInstanceOf(SettleOutcome.Applied.class);
        minted += amount;
        balances.merge(account, amount, Long::sum);
    }

    private void buy(Settlement s, Random r, String where) {
        String buyer = BUYERS.get(r.nextInt(BUYERS.size()));
        Offering o = offerings.get(r.nextInt(offerings.size()));
        String nonce = "n" + nonces++;
        String id = Settlement.newPurchaseId();
        SettleOutcome out = s.buy(id, o, buyer, nonce, "{}");
        long have = balances.getOrDefault(buyer, 0L);
        if (have < o.price()) {
            assertThat(out).as(where).isEqualTo(new SettleOutcome.Insufficient(buyer, have));
            return;
        }
        assertThat(out).as(where).isInstanceOf(SettleOutcome.Applied.class);
        balances.merge(buyer, -o.price(), Long::sum);
        balances.merge(Accounts.ESCROW, o.price(), Long::sum);
        purchaseIds.add(id);
        purchases.put(id, s.store().purchase(id).orElseThrow());
        usedPayments.add(new String[] {buyer, nonce, id});
    }

    private void replay(Settlement s, Random r, String where) {
        if (usedPayments.isEmpty()) {
            return;
        }
        String[] used = usedPayments.get(r.nextInt(usedPayments.size()));
        SettleOutcome out = s.buy(Settlement.newPurchaseId(), offerings.getFirst(), used[0], used[1], "{}");
        assertThat(out).as(where + ": a replayed payment").isEqualTo(new SettleOutcome.Duplicate(used[2]));
    }

    private void transition(Settlement s, Random r, String where) {
        String id = purchaseIds.get(r.nextInt(purchaseIds.size()));
        Purchase p = purchases.get(id);
        PurchaseStatus to = PurchaseStatus.values()[1 + r.nextInt(PurchaseStatus.values().length - 1)];
        SettleOutcome out = apply(s, id, to);
        if (!to.predecessors().contains(p.status())) {
            assertThat(out)
                    .as(where + ": " + p.status() + " -> " + to)
                    .isEqualTo(new SettleOutcome.WrongState(id, p.status()));
            return;
        }
        assertThat(out).as(where + ": " + p.status() + " -> " + to).isInstanceOf(SettleOutcome.Applied.class);
        switch (to) {
            case COMPLETED -> {
                long paid = p.status() == PurchaseStatus.DISPUTED ? renegotiated(p) : p.price();
                long fee = paid == p.price() ? p.fee() : Settlement.feeOf(paid);
                balances.merge(Accounts.ESCROW, -p.price(), Long::sum);
                balances.merge(p.seller(), paid - fee, Long::sum);
                balances.merge(Accounts.FEES, fee, Long::sum);
                balances.merge(p.buyer(), p.price() - paid, Long::sum);
            }
            case REJECTED, EXPIRED, REFUNDED -> {
                balances.merge(Accounts.ESCROW, -p.price(), Long::sum);
                balances.merge(p.buyer(), p.price(), Long::sum);
            }
            default -> {}
        }
        purchases.put(id, s.store().purchase(id).orElseThrow());
        assertThat(purchases.get(id).status()).isEqualTo(to);
        for (Account a : s.store().accounts()) {
            if (!a.id().equals(Accounts.ISSUANCE)) {
                assertThat(a.balance())
                        .as(where + ": balance of " + a.id())
                        .isEqualTo(balances.getOrDefault(a.id(), 0L));
            }
        }
    }

    private static SettleOutcome apply(Settlement s, String id, PurchaseStatus to) {
        return switch (to) {
            case ACCEPTED ->
                s.store().purchase(id).orElseThrow().status() == PurchaseStatus.DISPUTED ? s.retry(id) : s.accept(id);
            case DELIVERING -> s.delivering(id, "job-" + id);
            case COMPLETED ->
                s.store().purchase(id).orElseThrow().status() == PurchaseStatus.DISPUTED
                        ? s.renegotiate(id, renegotiated(s.store().purchase(id).orElseThrow()))
                        : s.complete(id, "{\"ok\":true}");
            case DISPUTED -> s.fail(id, "the job failed");
            case REJECTED -> s.reject(id);
            case EXPIRED -> s.expire(id);
            case REFUNDED -> s.refund(id);
            case CREATED -> throw new IllegalArgumentException("purchases are created by buying");
        };
    }

    /** The price a disputed purchase settles at, re-negotiated: deterministic, so the model can follow. */
    private static long renegotiated(Purchase p) {
        return Math.max(1, p.price() * 2 / 3);
    }

    /**
     * Concurrent operations aimed at collisions: two purchases settled every way at once, a mint key and a payment
     * nonce used by two threads at once. Exactly one of each duplicate pair may land.
     */
    private void burst(Settlement s, Random r, ExecutorService pool) throws Exception {
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < 2 && !purchaseIds.isEmpty(); i++) {
            targets.add(purchaseIds.get(r.nextInt(purchaseIds.size())));
        }
        String mintKey = "burst-m" + nonces++;
        String buyer = BUYERS.get(r.nextInt(BUYERS.size()));
        String nonce = "burst-n" + nonces++;
        Offering offering = offerings.get(r.nextInt(offerings.size()));
        List<Supplier<SettleOutcome>> tasks = new ArrayList<>();
        tasks.add(() -> s.mint(buyer, 100, mintKey));
        tasks.add(() -> s.mint(buyer, 100, mintKey));
        String idA = Settlement.newPurchaseId();
        String idB = Settlement.newPurchaseId();
        tasks.add(() -> s.buy(idA, offering, buyer, nonce, "{}"));
        tasks.add(() -> s.buy(idB, offering, buyer, nonce, "{}"));
        while (tasks.size() < BURST_OPS) {
            String id = targets.isEmpty() ? idA : targets.get(r.nextInt(targets.size()));
            PurchaseStatus to = PurchaseStatus.values()[1 + r.nextInt(PurchaseStatus.values().length - 1)];
            tasks.add(() -> apply(s, id, to));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<SettleOutcome>> results = new ArrayList<>();
        for (Supplier<SettleOutcome> task : tasks) {
            results.add(pool.submit(() -> {
                start.await();
                return task.get();
            }));
        }
        start.countDown();
        List<SettleOutcome> outcomes = new ArrayList<>();
        for (Future<SettleOutcome> f : results) {
            outcomes.add(f.get(60, TimeUnit.SECONDS));
        }
        ops += tasks.size();
        long mintsApplied = outcomes.subList(0, 2).stream()
                .filter(o -> o instanceof SettleOutcome.Applied)
                .count();
        assertThat(mintsApplied).as("one of two mints with the same key").isEqualTo(1);
        minted += 100;
        long buysApplied = outcomes.subList(2, 4).stream()
                .filter(o -> o instanceof SettleOutcome.Applied)
                .count();
        assertThat(buysApplied).as("payments with the same nonce that landed").isLessThanOrEqualTo(1);
        for (String id : List.of(idA, idB)) {
            if (s.store().purchase(id).isPresent()) {
                purchaseIds.add(id);
            }
        }
    }

    /** After a burst the model takes the store's word (the invariants, checked on the side, vouch for it). */
    private void resyncModel(Database db) {
        balances.clear();
        for (Account a : db.market().accounts()) {
            if (!a.id().equals(Accounts.ISSUANCE)) {
                balances.put(a.id(), a.balance());
            }
        }
        for (String id : purchaseIds) {
            purchases.put(id, db.market().purchase(id).orElseThrow());
        }
    }
}
