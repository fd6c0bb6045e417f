package org.planetarymesh.store;

import java.util.List;
import java.util.Optional;

/** Durable registry of nodes that must survive a restart: push-mode nodes registered by address, and known keys. */
public interface NodeStore {

    void upsert(NodeRecord node);

    Optional<NodeRecord> find(String id);

    List<NodeRecord> list();

    void delete(String id);

    /** What is kept of a node: its id (did:key or name), display name, push address if any, and a JSON document. */
    record NodeRecord(String id, String name, String address, String document) {}
}
