package org.planetarymesh.coordinator.auth;

/** Who made a request: the id of the token presented ({@code admin} for the admin token file) and its role. */
public record Principal(String tokenId, String name, Role role) {

    /** The id used for the admin token file's holder. */
    public static final String ADMIN_FILE_ID = "admin";

    /** The request attribute under which an authenticated request (or WebSocket upgrade) carries its principal. */
    public static final String ATTRIBUTE = "mesh.principal";
}
