package org.planetarymesh.coordinator.auction;

import java.util.concurrent.ConcurrentHashMap;
import org.planetarymesh.core.auction.BidSigning;
import org.planetarymesh.core.protocol.Message;

/**
 * Checks bids' Ed25519 signatures. An Ed25519 verification costs from tens of microseconds to milliseconds, too much
 * for the one scheduler thread at thousands of bids a second, so the agent gateway checks each bid on the thread that
 * read its frame ({@link #precheck}, in parallel across connections) and the scheduler only looks the answer up; a bid
 * that did not pass the gateway (a test's fake link) is checked on the spot. Answers are kept by node, signed text and
 * signature, so the bids of one frame, which share a signed Merkle root, cost one verification, and an answer cannot
 * vouch for anything else.
 */
public final class BidVerifier {

    private static final int MAX_PENDING = 20_000;

    private final ConcurrentHashMap<String, Boolean> checked = new ConcurrentHashMap<>();

    /** Verifies {@code bid} from {@code nodeId} (whose raw key is {@code rawKey}) ahead of the scheduler. */
    public void precheck(String nodeId, byte[] rawKey, Message.JobBid bid) {
        if (bid.signature() != null) {
            verifies(nodeId, rawKey, bid);
        }
    }

    /**
     * Whether {@code bid}'s signature is {@code nodeId}'s ({@code rawKey}) over its canonical form, or over the Merkle
     * root its proof leads to: the bids of one frame share a root, so the signature is verified once for all of them.
     */
    public boolean verifies(String nodeId, byte[] rawKey, Message.JobBid bid) {
        if (bid.signature() == null) {
            return false;
        }
        String signed;
        try {
            signed = BidSigning.signedText(bid, nodeId);
        } catch (IllegalArgumentException e) {
            return false; // a malformed proof
        }
        String key = nodeId + '\n' + signed + '\n' + bid.signature();
        Boolean known = checked.get(key);
        if (known != null) {
            return known;
        }
        if (checked.size() >= MAX_PENDING) {
            checked.clear(); // answers of rounds long closed; whatever is asked again is checked again
        }
        boolean valid = BidSigning.verifies(rawKey, signed, bid.signature());
        checked.put(key, valid);
        return valid;
    }
}
