package org.planetarymesh.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.planetarymesh.core.job.JobSpec;

/** The no-op job every scenario and microbenchmark uses: {@code echo} with a tiny payload. */
public final class BenchJobs {

    private BenchJobs() {}

    /** An {@code echo} job spec whose payload is {@code {"n": i}}. */
    public static JobSpec echo(long i) {
        return JobSpec.of("echo", JsonNodeFactory.instance.objectNode().put("n", i));
    }
}
