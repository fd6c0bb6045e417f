package org.planetarymesh.store.market;

/** The platform's own accounts, created by the migration. */
public final class Accounts {

    /** Minting debits this account: its balance is minus every credit ever made. */
    public static final String ISSUANCE = "platform:issuance";
    /** Holds the price of every open purchase. */
    public static final String ESCROW = "platform:escrow";
    /** Receives the platform fee of every completed purchase. */
    public static final String FEES = "platform:fees";

    private Accounts() {}

    /** Whether {@code id} names one of the platform's accounts. */
    public static boolean platform(String id) {
        return id.startsWith("platform:");
    }
}
