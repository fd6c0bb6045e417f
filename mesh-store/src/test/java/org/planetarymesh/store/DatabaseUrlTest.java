package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The database URL forms users may give, and the precise refusal of everything else. */
class DatabaseUrlTest {

    @Test
    void aSqliteUrlNamesItsFileAndKeepsItsPragmas() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:sqlite:/data/mesh.db?synchronous=NORMAL");

        assertThat(url.dialect()).isEqualTo(Dialect.SQLITE);
        assertThat(url.sqliteFile()).isEqualTo(Path.of("/data/mesh.db"));
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite:/data/mesh.db?synchronous=NORMAL");
    }

    @Test
    void aJdbcPostgresqlUrlIsUsedAsGiven() {
        String jdbc = "jdbc:postgresql://db.example:5433/mesh?user=mesh&password=s3cret";

        DatabaseUrl url = DatabaseUrl.parse(jdbc);

        assertThat(url.dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(url.jdbcUrl()).isEqualTo(jdbc);
        assertThat(url.redacted()).doesNotContain("s3cret");
    }

    @Test
    void aLibpqUrlBecomesAJdbcUrlWithDecodedCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://mesh:p%40ss%3Aword@db.example:5433/jobs?sslmode=require");

        assertThat(url.dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/jobs?sslmode=require");
        assertThat(url.user()).isEqualTo("mesh");
        assertThat(url.password()).isEqualTo("p@ss:word");
    }

    @Test
    void thePostgresSchemeAndAMissingPortAreAccepted() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://mesh@localhost/jobs");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/jobs");
        assertThat(url.user()).isEqualTo("mesh");
        assertThat(url.password()).isNull();
    }

    @Test
    void anInMemorySqliteDatabaseIsRefusedBecauseEachConnectionWouldSeeItsOwn() {
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:sqlite::memory:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in-memory");
    }

    @Test
    void anUnknownSchemeIsRefusedWithTheAcceptedFormsAndWithoutThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://root:hunter2@db/mesh"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:sqlite:")
                .hasMessageContaining("postgresql://")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUrl.parse(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }
}
