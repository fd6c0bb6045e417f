package org.planetarymesh.store;

/** A store operation failed: the database was unreachable, refused a statement, or could not be migrated. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
