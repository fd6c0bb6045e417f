package org.planetarymesh.agent.inference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.node.ModelState;

/**
 * Which backends serve which model, as of the last discovery: for each model id its backends, local ones first (then
 * in the order they were found: configured before discovered), and the model states the agent advertises. Immutable;
 * a refresh builds a new one.
 */
final class ModelTable {
    static final ModelTable EMPTY = new ModelTable(Map.of(), List.of());

    private final Map<String, List<Backend>> backendsByModel;
    private final List<ModelState> states;

    private ModelTable(Map<String, List<Backend>> backendsByModel, List<ModelState> states) {
        this.backendsByModel = backendsByModel;
        this.states = states;
    }

    /** The table of what {@code found} serves; {@code found} in discovery order. */
    static ModelTable of(List<BackendProbe.Found> found) {
        List<BackendProbe.Found> ordered = new ArrayList<>(found);
        ordered.sort(Comparator.comparing((BackendProbe.Found f) -> !f.backend().local()));
        Map<String, List<Backend>> byModel = new LinkedHashMap<>();
        Map<String, ModelState> states = new LinkedHashMap<>();
        for (BackendProbe.Found f : ordered) {
            for (ModelState model : f.models()) {
                byModel.computeIfAbsent(model.id(), id -> new ArrayList<>()).add(f.backend());
                // Advertised under the preferred backend; loaded if any backend has it warm.
                states.merge(
                        model.id(),
                        model,
                        (first, other) ->
                                new ModelState(first.id(), first.loaded() || other.loaded(), first.backend()));
            }
        }
        byModel.replaceAll((id, list) -> List.copyOf(list));
        return new ModelTable(Map.copyOf(byModel), List.copyOf(states.values()));
    }

    /** The backends serving {@code model}, preferred first; empty if none does. */
    List<Backend> backends(String model) {
        return backendsByModel.getOrDefault(model, List.of());
    }

    /** What the agent advertises: each model once, with whether it is loaded and its preferred backend. */
    List<ModelState> states() {
        return states;
    }

    /** The model ids, in advertised order. */
    List<String> modelIds() {
        return states.stream().map(ModelState::id).toList();
    }
}
