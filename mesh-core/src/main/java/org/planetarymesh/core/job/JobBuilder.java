package org.planetarymesh.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** Sets a {@link Job}'s fields by name instead of by position. */
public final class JobBuilder {
    private String id;
    private JobSpec spec;
    private JobStatus status = JobStatus.QUEUED;
    private String nodeId;
    private int attempt;
    private double progress;
    private JsonNode result;
    private JobError error;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant startedAt;
    private Instant finishedAt;
    private Instant notBefore;
    private String receiptCid;
    private Routing routing;
    private List<Attempt> attempts = List.of();
    private String owner;

    JobBuilder(String id, JobSpec spec) {
        this.id = id;
        this.spec = spec;
    }

    JobBuilder(Job job) {
        id = job.id();
        spec = job.spec();
        status = job.status();
        nodeId = job.nodeId();
        attempt = job.attempt();
        progress = job.progress();
        result = job.result();
        error = job.error();
        createdAt = job.createdAt();
        updatedAt = job.updatedAt();
        startedAt = job.startedAt();
        finishedAt = job.finishedAt();
        notBefore = job.notBefore();
        receiptCid = job.receiptCid();
        routing = job.routing();
        attempts = job.attempts();
        owner = job.owner();
    }

    public JobBuilder id(String value) {
        id = value;
        return this;
    }

    public JobBuilder spec(JobSpec value) {
        spec = value;
        return this;
    }

    public JobBuilder status(JobStatus value) {
        status = value;
        return this;
    }

    public JobBuilder nodeId(String value) {
        nodeId = value;
        return this;
    }

    public JobBuilder attempt(int value) {
        attempt = value;
        return this;
    }

    public JobBuilder progress(double value) {
        progress = value;
        return this;
    }

    public JobBuilder result(JsonNode value) {
        result = value;
        return this;
    }

    public JobBuilder error(JobError value) {
        error = value;
        return this;
    }

    public JobBuilder createdAt(Instant value) {
        createdAt = value;
        return this;
    }

    public JobBuilder updatedAt(Instant value) {
        updatedAt = value;
        return this;
    }

    public JobBuilder startedAt(Instant value) {
        startedAt = value;
        return this;
    }

    public JobBuilder finishedAt(Instant value) {
        finishedAt = value;
        return this;
    }

    public JobBuilder notBefore(Instant value) {
        notBefore = value;
        return this;
    }

    public JobBuilder receiptCid(String value) {
        receiptCid = value;
        return this;
    }

    public JobBuilder routing(Routing value) {
        routing = value;
        return this;
    }

    public JobBuilder attempts(List<Attempt> value) {
        attempts = value;
        return this;
    }

    public JobBuilder owner(String value) {
        owner = value;
        return this;
    }

    public Job build() {
        return new Job(
                id,
                spec,
                status,
                nodeId,
                attempt,
                progress,
                result,
                error,
                createdAt,
                updatedAt,
                startedAt,
                finishedAt,
                notBefore,
                receiptCid,
                routing,
                attempts,
                owner);
    }
}
