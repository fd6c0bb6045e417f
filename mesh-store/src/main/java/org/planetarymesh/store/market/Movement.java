package org.planetarymesh.store.market;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A balanced set of entries (they sum to zero) under a unique key: applying a key a second time moves nothing. The
 * entries are kept one per account, sorted by account id, so concurrent movements lock accounts in the same order.
 */
public record Movement(String key, MovementKind kind, String purchaseId, String memo, List<Entry> entries) {

    public Movement {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a movement needs a key");
        }
        entries = merged(entries);
        if (entries.size() < 2) {
            throw new IllegalArgumentException("a movement moves credits between at least two accounts");
        }
        long sum = 0;
        for (Entry e : entries) {
            sum = Math.addExact(sum, e.amount());
        }
        if (sum != 0) {
            throw new IllegalArgumentException("movement " + key + " does not balance: its entries sum to " + sum);
        }
    }

    /** {@code amount} credits from one account to another. */
    public static Movement transfer(
            String key, MovementKind kind, String purchaseId, String from, String to, long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("a transfer moves a positive amount, got " + amount);
        }
        return new Movement(key, kind, purchaseId, null, List.of(new Entry(from, -amount), new Entry(to, amount)));
    }

    private static List<Entry> merged(List<Entry> entries) {
        Map<String, Long> byAccount = new TreeMap<>();
        for (Entry e : entries) {
            byAccount.merge(e.accountId(), e.amount(), Math::addExact);
        }
        List<Entry> out = new ArrayList<>();
        byAccount.forEach((account, amount) -> {
            if (amount != 0) {
                out.add(new Entry(account, amount));
            }
        });
        out.sort(Comparator.comparing(Entry::accountId));
        return List.copyOf(out);
    }
}
