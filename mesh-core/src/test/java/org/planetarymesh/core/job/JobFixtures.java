package org.planetarymesh.core.job;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;

/** Domain builders for job tests: {@code aQueuedJob()}, {@code aRunningJob()}, and a clock in whole seconds. */
final class JobFixtures {

    static final String JOB_ID = "01890a5d-ac96-7ab2-80e2-4536629c90de";
    static final String OTHER_JOB_ID = "01890a5d-ac96-7ab2-80e2-4536629c90df";
    static final String NODE = "node-a";

    private JobFixtures() {}

    /** The instant {@code seconds} after a fixed epoch, so tests can say "at(3)" instead of building instants. */
    static Instant at(long seconds) {
        return Instant.parse("2030-01-01T00:00:00Z").plusSeconds(seconds);
    }

    static JobSpec anEchoSpec() {
        return JobSpec.of("echo", JsonNodeFactory.instance.objectNode().put("message", "hi"));
    }

    static Job aQueuedJob() {
        return Job.submitted(JOB_ID, anEchoSpec(), at(0));
    }

    static Job aPendingJob() {
        return Job.submitted(JOB_ID, anEchoSpec().withDependsOn(List.of(OTHER_JOB_ID)), at(0));
    }

    static Job anAssignedJob() {
        return aQueuedJob().assign(NODE, routingTo(NODE), at(1));
    }

    static Job aRunningJob() {
        return anAssignedJob().running(at(2));
    }

    static Routing routingTo(String node) {
        return new Routing("least-loaded", node, List.of(new Routing.Candidate(node, 0.75, null)), List.of(), at(1));
    }
}
