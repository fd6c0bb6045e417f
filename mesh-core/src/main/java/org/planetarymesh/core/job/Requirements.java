package org.planetarymesh.core.job;

import java.util.List;
import java.util.Map;

/**
 * What a node must have to run a job: capabilities, resources, labels, (for inference) a model, and for an auctioned
 * job the least reputation (0..1) a bidder must have.
 */
public record Requirements(
        List<String> capabilities,
        Resources resources,
        Map<String, String> labels,
        String model,
        Double minReputation) {
    public static final Requirements NONE = new Requirements(List.of(), Resources.NONE, Map.of(), null);

    /** Requirements without a reputation floor. */
    public Requirements(List<String> capabilities, Resources resources, Map<String, String> labels, String model) {
        this(capabilities, resources, labels, model, null);
    }

    public Requirements {
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        resources = resources == null ? Resources.NONE : resources;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
