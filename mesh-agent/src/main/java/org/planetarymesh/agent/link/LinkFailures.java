package org.planetarymesh.agent.link;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;

/**
 * Failed dials to the coordinator, said once in words an operator can act on (what happened, what to check) and then
 * logged with backoff: a failure that repeats is logged again at its 2nd, 4th, 8th, ... occurrence, so an agent left
 * with a bad token or a wrong address does not fill its log, yet still says it is failing.
 */
final class LinkFailures {

    private final String coordinator;
    private String lastReason;
    private int repeats;

    LinkFailures(String coordinator) {
        this.coordinator = coordinator;
    }

    /** Logs a failed dial or lost session: at WARN on the first occurrence of a reason and at each doubling after. */
    void failed(Throwable e, Logger log) {
        String reason = explain(coordinator, e);
        if (!reason.equals(lastReason)) {
            lastReason = reason;
            repeats = 0;
        }
        repeats++;
        if (Integer.bitCount(repeats) == 1) {
            log.warn("{}{}", reason, repeats == 1 ? "" : " (failed " + repeats + " times in a row; still retrying)");
        } else {
            log.debug("{} (failed {} times in a row)", reason, repeats);
        }
    }

    /** A session was established: the next failure is news again. */
    void connected() {
        lastReason = null;
        repeats = 0;
    }

    /** What went wrong dialling {@code coordinator}, and what to check or do about it. */
    static String explain(String coordinator, Throwable e) {
        Throwable cause = unwrap(e);
        return switch (cause) {
            case WebSocketHandshakeException h ->
                refused(coordinator, h.getResponse().statusCode());
            case ConnectException c ->
                "cannot connect to the coordinator at " + coordinator + " (connection refused): check that it is"
                        + " running and that --coordinator (or MESH_COORDINATOR, or coordinator in agent.toml) names"
                        + " its host and port; retrying";
            case HttpConnectTimeoutException t ->
                "no answer from " + coordinator + " within the connect timeout: check the host and port, and any"
                        + " firewall between; retrying";
            case UnknownHostException u ->
                "cannot resolve the host of " + coordinator + ": check --coordinator; retrying";
            case UnresolvedAddressException u ->
                "cannot resolve the host of " + coordinator + ": check --coordinator; retrying";
            case SSLException s ->
                "TLS with " + coordinator + " failed (" + s.getMessage() + "): trust its certificate with --ca-file,"
                        + " or use http:// if it does not serve TLS; retrying";
            case TimeoutException t ->
                "the coordinator at " + coordinator + " did not complete the connection; retrying";
            default ->
                "coordinator link to " + coordinator + ": " + cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + "; retrying";
        };
    }

    private static String refused(String coordinator, int status) {
        return switch (status) {
            case 401 ->
                "the coordinator at " + coordinator + " refused this agent (401): its token was rejected"
                        + (coordinator.startsWith("https:")
                                ? ", or the coordinator requires a TLS client certificate (--tls-cert and --tls-key;"
                                        + " the coordinator's log says which)"
                                : "")
                        + ". Give the agent a valid token with --token (or MESH_TOKEN, or token in agent.toml):"
                        + " create one on the coordinator with 'mesh token create --role agent', or use its admin"
                        + " token from <data-dir>/admin.token; retrying";
            case 403 ->
                "the coordinator at " + coordinator + " refused this agent's token (403): agents need a token with"
                        + " role agent or admin ('mesh token create --role agent'); retrying";
            case 404 ->
                "no agent endpoint at " + coordinator + " (404): check that --coordinator names a Planetary Mesh"
                        + " coordinator; retrying";
            default -> "the coordinator at " + coordinator + " refused the connection (HTTP " + status + "); retrying";
        };
    }

    private static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        // Bounded: cause chains are finite and short; stop at depth 10 regardless.
        for (int i = 0; i < 10 && cause instanceof ExecutionException && cause.getCause() != null; i++) {
            cause = cause.getCause();
        }
        // The HTTP client wraps a refused connect in a ConnectException with no message, or an IOException around it.
        if (!(cause instanceof ConnectException) && cause.getCause() instanceof ConnectException connect) {
            return connect;
        }
        return cause;
    }
}
