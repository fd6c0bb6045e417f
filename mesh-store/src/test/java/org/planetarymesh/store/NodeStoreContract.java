package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.planetarymesh.store.NodeStore.NodeRecord;

/** What every {@link NodeStore} promises, run against each real database by a subclass. */
abstract class NodeStoreContract {

    private String url;
    private Database db;
    private NodeStore nodes;

    /** A URL of a new, empty database; opening it twice must reach the same data. */
    protected abstract String freshDatabaseUrl();

    @BeforeEach
    void openDatabase() {
        url = freshDatabaseUrl();
        db = Database.open(url);
        nodes = db.nodes();
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    @Test
    void anUpsertedNodeIsFoundAsWritten() {
        NodeRecord node = new NodeRecord("did:key:z6Mk1", "alpha", "http://10.0.0.1:8081", "{\"labels\":{}}");

        nodes.upsert(node);

        assertThat(nodes.find("did:key:z6Mk1")).contains(node);
        assertThat(nodes.find("did:key:unknown")).isEmpty();
    }

    @Test
    void aSecondUpsertOfTheSameIdReplacesNameAddressAndDocument() {
        nodes.upsert(new NodeRecord("n1", "alpha", "http://10.0.0.1:8081", "{}"));
        NodeRecord moved = new NodeRecord("n1", "alpha-2", null, "{\"v\":2}");

        nodes.upsert(moved);

        assertThat(nodes.find("n1")).contains(moved);
        assertThat(nodes.list()).containsExactly(moved);
    }

    @Test
    void listReturnsEveryNodeOrderedById() {
        NodeRecord b = new NodeRecord("b", "bravo", null, null);
        NodeRecord a = new NodeRecord("a", "alpha", "http://a:8081", "{}");
        NodeRecord c = new NodeRecord("c", "charlie", "http://c:8081", "{}");
        nodes.upsert(b);
        nodes.upsert(a);
        nodes.upsert(c);

        assertThat(nodes.list()).containsExactly(a, b, c);
    }

    @Test
    void aDeletedNodeIsGoneAndDeletingAnUnknownIdChangesNothing() {
        NodeRecord keep = new NodeRecord("keep", "k", null, "{}");
        nodes.upsert(keep);
        nodes.upsert(new NodeRecord("gone", "g", null, "{}"));

        nodes.delete("gone");
        nodes.delete("never-existed");

        assertThat(nodes.find("gone")).isEmpty();
        assertThat(nodes.list()).containsExactly(keep);
    }

    @Test
    void nodesSurviveClosingAndReopeningTheDatabase() {
        NodeRecord node = new NodeRecord("n1", "alpha", "https://alpha.example:8081", "{\"k\":1}");
        nodes.upsert(node);
        db.close();

        db = Database.open(url);

        assertThat(db.nodes().list()).containsExactly(node);
    }
}
