package org.planetarymesh.agent.federation;

import java.util.concurrent.ConcurrentHashMap;
import org.planetarymesh.core.protocol.Message;

/**
 * What the coordinator sent with each assignment to this peer link ({@code assign_job.forward}: requirements, scope,
 * network properties), kept from the assignment until the peer executor reads it for that attempt.
 */
public final class ForwardBoard {

    private final ConcurrentHashMap<String, Message.Forward> byAttempt = new ConcurrentHashMap<>();

    /** Keeps an assignment's forward part, if it has one. */
    public void remember(Message.AssignJob assignment) {
        if (assignment.forward() != null) {
            byAttempt.put(key(assignment.jobId(), assignment.attempt()), assignment.forward());
        }
    }

    /** The forward part of this attempt's assignment (removed), or null. */
    Message.Forward take(String jobId, int attempt) {
        return byAttempt.remove(key(jobId, attempt));
    }

    private static String key(String jobId, int attempt) {
        return jobId + "/" + attempt;
    }
}
