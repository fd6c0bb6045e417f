package org.planetarymesh.core.job;

import java.util.List;
import java.util.Map;

/** What a node must have to run a job: capabilities, resources, labels and (for inference) a model. */
public record Requirements(List<String> capabilities, Resources resources, Map<String, String> labels, String model) {
    public static final Requirements NONE = new Requirements(List.of(), Resources.NONE, Map.of(), null);

    public Requirements {
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        resources = resources == null ? Resources.NONE : resources;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
