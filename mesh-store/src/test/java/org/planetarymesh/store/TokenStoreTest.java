package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens survive a reopen with their revocation state: an unrevoked token reads back with no revocation time. */
class TokenStoreTest {

    @TempDir
    Path dir;

    @Test
    void aTokenIsValidUntilRevokedAndStaysSoAcrossAReopen() {
        try (Database db = Database.sqlite(dir)) {
            db.tokens().insert(new TokenStore.TokenRecord("tok_a", "ci", "submit", "h1", 1_000, null));
            db.tokens().insert(new TokenStore.TokenRecord("tok_b", "ops", "admin", "h2", 2_000, null));
            assertThat(db.tokens().revoke("tok_b", 3_000)).isTrue();
            assertThat(db.tokens().revoke("tok_b", 4_000)).as("already revoked").isFalse();
        }
        try (Database reopened = Database.sqlite(dir)) {
            assertThat(reopened.tokens().list())
                    .containsExactly(
                            new TokenStore.TokenRecord("tok_a", "ci", "submit", "h1", 1_000, null),
                            new TokenStore.TokenRecord("tok_b", "ops", "admin", "h2", 2_000, 3_000L));
        }
    }
}
