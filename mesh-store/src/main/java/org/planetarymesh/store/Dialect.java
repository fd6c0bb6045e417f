package org.planetarymesh.store;

/** The SQL databases the store runs on, and where each keeps its migrations. */
enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String id;

    Dialect(String id) {
        this.id = id;
    }

    /** The name reported by {@link Database#dialect()}. */
    String id() {
        return id;
    }

    /** The Flyway location of this dialect's versioned migrations. */
    String migrations() {
        return "classpath:db/migration/" + id;
    }
}
