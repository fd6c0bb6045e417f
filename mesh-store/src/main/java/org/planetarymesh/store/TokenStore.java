package org.planetarymesh.store;

import java.util.List;

/** Durable API tokens, kept only as hashes: create, list (revoked ones included) and revoke. */
public interface TokenStore {

    void insert(TokenRecord token);

    /** Every token, oldest first, revoked ones included. */
    List<TokenRecord> list();

    /** Marks {@code id} revoked at {@code revokedAtMillis}; false if there is no such unrevoked token. */
    boolean revoke(String id, long revokedAtMillis);

    /**
     * What is kept of a token: its public id, a display name, its role, the hex SHA-256 of the secret, and epoch
     * milliseconds of creation and revocation ({@code null} while valid).
     */
    record TokenRecord(String id, String name, String role, String hash, long createdAt, Long revokedAt) {}
}
