package org.planetarymesh.coordinator.auction;

import java.util.concurrent.ConcurrentHashMap;
import org.planetarymesh.core.auction.BidSigning;
import org.planetarymesh.core.protocol.Message;

/**
 * Checks bids' Ed25519 signatures. An Ed25519 verification costs tens of microseconds, too much for the one scheduler
 * thread at thousands of bids a second, so the agent gateway checks each bid on the thread that read its frame
 * ({@link #precheck}, in parallel across connections) and the scheduler only looks the answer up; a bid that did not
 * pass the gateway (a test's fake link) is checked on the spot. The answer is keyed by the signed text and the
 * signature, so it cannot vouch for anything else.
 */
public final class BidVerifier {

    private static final int MAX_PENDING = 100_000;

    private final ConcurrentHashMap<String, Boolean> checked = new ConcurrentHashMap<>();

    /** Verifies {@code bid} from {@code nodeId} (whose raw key is {@code rawKey}) ahead of the scheduler. */
    public void precheck(String nodeId, byte[] rawKey, Message.JobBid bid) {
        if (bid.signature() == null) {
            return;
        }
        if (checked.size() >= MAX_PENDING) {
            checked.clear(); // answers nobody collected (their jobs ended): the scheduler re-checks if it needs one
        }
        String signed = BidSigning.canonical(bid, nodeId);
        checked.put(key(signed, bid.signature()), BidSigning.verifies(rawKey, signed, bid.signature()));
    }

    /** Whether {@code bid}'s signature is {@code nodeId}'s ({@code rawKey}) over its canonical form. */
    public boolean verifies(String nodeId, byte[] rawKey, Message.JobBid bid) {
        if (bid.signature() == null) {
            return false;
        }
        String signed = BidSigning.canonical(bid, nodeId);
        Boolean known = checked.remove(key(signed, bid.signature()));
        return known != null ? known : BidSigning.verifies(rawKey, signed, bid.signature());
    }

    private static String key(String signed, String signature) {
        return signed + '\n' + signature;
    }
}
