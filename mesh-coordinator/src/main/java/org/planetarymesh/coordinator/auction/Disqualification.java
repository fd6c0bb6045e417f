package org.planetarymesh.coordinator.auction;

/** Why a bid cannot win, each with the label that starts its stated reason in the job's auction record. */
public enum Disqualification {
    /** The price is above the job's {@code placement.max_price}. */
    ABOVE_MAX_PRICE("above max_price"),
    /** The node does not meet the job's requirements (resources offered, free slots, reputation, eligibility). */
    FAILS_REQUIREMENTS("fails requirements"),
    /** The bid names a round that closed before it arrived. */
    LATE("late"),
    /** The node already bid in this round as often as it may. */
    DUPLICATE("duplicate"),
    /** The job was not announced to this node (in that round). */
    NOT_ANNOUNCED("not announced to this node"),
    /** The signature does not verify with the node's key. */
    BAD_SIGNATURE("bad signature"),
    /** A bid received before, or signed for a nonce this job's open round did not issue. */
    REPLAYED("replayed");

    private final String label;

    Disqualification(String label) {
        this.label = label;
    }

    /** The reason as the record states it: the label, then what in particular. */
    public String reason(String detail) {
        return detail == null || detail.isEmpty() ? label : label + ": " + detail;
    }

    /** The label alone, e.g. {@code above max_price}. */
    public String label() {
        return label;
    }
}
