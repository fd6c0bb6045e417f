package org.planetarymesh.coordinator.dashboard;

import io.javalin.http.Context;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.planetarymesh.coordinator.api.ApiException;

/**
 * A browser's sign-in: the mesh token itself, kept in the cookie {@value #COOKIE} ({@code HttpOnly}: page scripts
 * cannot read it; {@code SameSite=Strict}: other sites' pages cannot make the browser send it; {@code Secure} under
 * TLS). It is never put in a URL.
 *
 * <p>Cross-site request forgery: besides {@code SameSite=Strict}, every request the cookie authenticates that is not a
 * {@code GET} or {@code HEAD} must carry the header {@value #CSRF_HEADER} holding {@link #csrfToken} of that session,
 * an HMAC of the token under a key this process drew at start (a synchronizer token without server state: pages
 * render it, scripts send it; a forged cross-site request cannot read it nor set the header), and when it has an
 * {@code Origin} header, that origin must be this server's own.
 */
public final class DashboardSession {

    /** The cookie holding a signed-in browser's mesh token. */
    public static final String COOKIE = "mesh_session";
    /** The header carrying the session's CSRF token on state-changing requests. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** How long a sign-in lasts, in seconds (8 h: a working day). */
    static final int MAX_AGE_SECONDS = 8 * 3600;

    private final byte[] key = new byte[32];
    private final boolean secure;

    DashboardSession(boolean secure) {
        new SecureRandom().nextBytes(key);
        this.secure = secure;
    }

    /**
     * The mesh token a request presents through the session cookie, or null without one. A state-changing request
     * with the cookie but without its CSRF token, or from another origin, is refused with 403.
     */
    public String presentedToken(Context ctx) {
        String token = ctx.cookie(COOKIE);
        if (token == null || token.isEmpty()) {
            return null;
        }
        String method = ctx.method().name();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            requireSameOrigin(ctx);
            String sent = ctx.header(CSRF_HEADER);
            if (sent == null
                    || !MessageDigest.isEqual(
                            sent.getBytes(StandardCharsets.UTF_8),
                            csrfToken(token).getBytes(StandardCharsets.UTF_8))) {
                throw new ApiException(
                        403,
                        "csrf",
                        "a request signed in by the dashboard's cookie must carry the " + CSRF_HEADER
                                + " header its page holds; reload the page, or use 'Authorization: Bearer <token>'");
            }
        }
        return token;
    }

    /** Refuses a request whose {@code Origin} header names another site than the one it was sent to. */
    static void requireSameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return; // same-origin navigations of some browsers, and non-browser clients, send none
        }
        String host = ctx.header("Host");
        String originHost;
        try {
            URI uri = URI.create(origin);
            originHost = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        } catch (IllegalArgumentException e) {
            originHost = null;
        }
        if (host == null || originHost == null || !host.equalsIgnoreCase(originHost)) {
            throw new ApiException(
                    403,
                    "cross_origin",
                    "requests from " + origin + " may not change this mesh; open the dashboard"
                            + " at its own address");
        }
    }

    /** The CSRF token pages of this session carry: base64url of HMAC-SHA256(process key, mesh token). */
    String csrfToken(String meshToken) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] sum = mac.doFinal(meshToken.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sum);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Signs a browser in: the cookie holds {@code meshToken}, for {@link #MAX_AGE_SECONDS}. */
    void signIn(Context ctx, String meshToken) {
        ctx.header("Set-Cookie", cookie(meshToken, MAX_AGE_SECONDS));
    }

    /** Signs a browser out: the cookie is replaced by an expired, empty one. */
    void signOut(Context ctx) {
        ctx.header("Set-Cookie", cookie("", 0));
    }

    private String cookie(String value, int maxAge) {
        return COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }
}
