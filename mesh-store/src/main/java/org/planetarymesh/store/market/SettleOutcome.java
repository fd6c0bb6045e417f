package org.planetarymesh.store.market;

/** What a settlement did: everything (applied) or nothing, and why not. */
public sealed interface SettleOutcome {

    /** The movement and the transition committed together. */
    record Applied(long movementSeq) implements SettleOutcome {}

    /** The movement's key was used before (by purchase {@code purchaseId}, if any): nothing moved again. */
    record Duplicate(String purchaseId) implements SettleOutcome {}

    /** {@code accountId} holds {@code balance}, fewer credits than the movement takes from it. */
    record Insufficient(String accountId, long balance) implements SettleOutcome {}

    /** The purchase is missing ({@code current} null) or in a status the transition may not leave. */
    record WrongState(String purchaseId, PurchaseStatus current) implements SettleOutcome {}

    /** The offering of a new purchase is missing or withdrawn. */
    record NoOffering(String offeringId) implements SettleOutcome {}
}
