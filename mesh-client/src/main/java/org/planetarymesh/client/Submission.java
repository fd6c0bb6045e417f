package org.planetarymesh.client;

import java.util.List;
import org.planetarymesh.core.job.Job;

/** A submitted job and the coordinator's warnings about it (empty when some connected node can run it). */
public record Submission(Job job, List<String> warnings) {

    public Submission {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
