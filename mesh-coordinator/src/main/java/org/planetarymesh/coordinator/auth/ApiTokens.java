package org.planetarymesh.coordinator.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.planetarymesh.store.TokenStore;
import org.planetarymesh.store.TokenStore.TokenRecord;

/**
 * Checks bearer tokens: the admin token file, and API tokens with roles kept in the store as SHA-256 hashes.
 *
 * <p>A token is 32 random bytes, so a plain (unsalted, fast) SHA-256 suffices: nobody can brute-force a 256-bit
 * preimage, so slow password hashes (bcrypt, Argon2) would only cost time on every request. Valid tokens are cached
 * by hash; {@link #revoke} removes from the cache before it returns, so a revoked token fails its very next request,
 * and tells {@linkplain #onRevoke listeners} (the agent gateway closes the sockets opened with it).
 * The final comparison of hashes is constant-time ({@link MessageDigest#isEqual}); the map lookup by hash leaks at
 * most timing about a hash, which reveals nothing about any token.
 */
public final class ApiTokens {

    private static final int NAME_MAX = 100;

    private final AdminToken admin;
    private final TokenStore store;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, TokenRecord> activeByHash = new ConcurrentHashMap<>();
    private final Object writes = new Object();
    private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();

    public ApiTokens(AdminToken admin, TokenStore store) {
        this.admin = admin;
        this.store = store;
        for (TokenRecord record : store.list()) {
            if (record.revokedAt() == null) {
                activeByHash.put(record.hash(), record);
            }
        }
    }

    /** A token just created: its stored record and the secret, which is shown this once and never again. */
    public record Created(TokenRecord record, String token) {}

    /** The principal {@code presented} names, or empty if it is not a valid, unrevoked token. */
    public Optional<Principal> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 512) {
            return Optional.empty();
        }
        if (admin.matches(presented)) {
            return Optional.of(new Principal(Principal.ADMIN_FILE_ID, "admin token file", Role.ADMIN));
        }
        String hash = hash(presented);
        TokenRecord record = activeByHash.get(hash);
        if (record == null
                || !MessageDigest.isEqual(
                        hash.getBytes(StandardCharsets.US_ASCII), record.hash().getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        Role role = Role.parse(record.role());
        return role == null ? Optional.empty() : Optional.of(new Principal(record.id(), record.name(), role));
    }

    /** Creates and stores a token of {@code role}; the secret is in the answer only. */
    public Created create(Role role, String name) {
        if (name != null && name.length() > NAME_MAX) {
            throw new IllegalArgumentException("a token name is at most " + NAME_MAX + " characters");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = "mesh_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] idBytes = new byte[8];
        random.nextBytes(idBytes);
        String id = "tok_" + HexFormat.of().formatHex(idBytes);
        TokenRecord record =
                new TokenRecord(id, name, role.id(), hash(token), Instant.now().toEpochMilli(), null);
        synchronized (writes) {
            store.insert(record);
            activeByHash.put(record.hash(), record);
        }
        return new Created(record, token);
    }

    /** Every token ever created, revoked ones included, oldest first (hashes included; callers drop them). */
    public List<TokenRecord> list() {
        return store.list();
    }

    /** Revokes {@code id}; false if there is no such valid token. Effective for the very next request. */
    public boolean revoke(String id) {
        boolean revoked;
        synchronized (writes) {
            // Out of the cache first: from here on the token is refused even if the store write is slow.
            activeByHash.values().removeIf(r -> r.id().equals(id));
            revoked = store.revoke(id, Instant.now().toEpochMilli());
        }
        if (revoked) {
            revocationListeners.forEach(listener -> listener.accept(id));
        }
        return revoked;
    }

    /** Calls {@code listener} with a token's id once it is revoked (connections opened with it must end too). */
    public void onRevoke(Consumer<String> listener) {
        revocationListeners.add(listener);
    }

    static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
