package org.planetarymesh.agent.runner;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A request to run one attempt of a job: what, and until when ({@code null} = no deadline). */
public record JobTicket(String jobId, int attempt, String type, JsonNode payload, Instant deadline) {}
