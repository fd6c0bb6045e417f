package org.planetarymesh.coordinator.auction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.store.NodeReputation;

/**
 * Each node's record of how its attempts ended, and the reputation derived from it: (completed + 1) / (completed +
 * failed + timed out + 2 × invalid receipts + 2), Laplace's rule of succession, so a new node starts at 0.5, every
 * outcome moves it, and a forged receipt counts double. Owned by the scheduler thread; changed counts are written
 * back in a later group commit ({@link #takeChanged}).
 */
public final class Reputation {

    /** The error code of an attempt whose receipt did not verify (the receipts feature reports it). */
    public static final String INVALID_RECEIPT = "invalid_receipt";

    private final Map<String, long[]> counts = new HashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();

    /** Loads the stored counts (at start). */
    public void load(List<NodeReputation> stored) {
        for (NodeReputation r : stored) {
            counts.put(r.nodeId(), new long[] {r.completed(), r.failed(), r.timedOut(), r.invalidReceipts()});
        }
    }

    /** The node's reputation, 0..1; 0.5 for a node with no record. */
    public double score(String nodeId) {
        long[] c = counts.get(nodeId);
        if (c == null) {
            return 0.5;
        }
        return (c[0] + 1.0) / (c[0] + c[1] + c[2] + 2.0 * c[3] + 2.0);
    }

    /** The node completed an attempt. */
    public void completed(String nodeId) {
        add(nodeId, 0);
    }

    /** The node did not acknowledge an assignment in time: counted as a timeout. */
    public void unacknowledged(String nodeId) {
        add(nodeId, 2);
    }

    /**
     * An attempt on {@code nodeId} ended with {@code error}: an invalid receipt, a timeout or a failure counts against
     * the node; a cancel, a shutdown hand-back, a bad payload or a passed deadline is nobody's fault of the node.
     */
    public void attemptFailed(String nodeId, JobError error) {
        if (nodeId == null) {
            return;
        }
        if (INVALID_RECEIPT.equals(error.code())) {
            add(nodeId, 3);
            return;
        }
        switch (error.codeKind()) {
            case TIMEOUT -> add(nodeId, 2);
            case CANCELLED, AGENT_STOPPING, INVALID_PAYLOAD, DEADLINE_EXCEEDED, DEPENDENCY_FAILED -> {}
            default -> add(nodeId, 1);
        }
    }

    /**
     * The node completed a replica of a verified job with an output the quorum did not accept: counted with invalid
     * receipts (double), since both are a node vouching for an output the job does not produce.
     */
    public void dissented(String nodeId) {
        if (nodeId != null) {
            add(nodeId, 3);
        }
    }

    private void add(String nodeId, int outcome) {
        counts.computeIfAbsent(nodeId, id -> new long[4])[outcome]++;
        changed.add(nodeId);
    }

    /** Whether counts changed since the last {@link #takeChanged}. */
    public boolean hasChanges() {
        return !changed.isEmpty();
    }

    /** The counts that changed since the last call, to write; the set of changes is then empty. */
    public List<NodeReputation> takeChanged() {
        List<NodeReputation> out = new ArrayList<>(changed.size());
        for (String nodeId : changed) {
            long[] c = counts.get(nodeId);
            out.add(new NodeReputation(nodeId, c[0], c[1], c[2], c[3]));
        }
        changed.clear();
        return out;
    }
}
