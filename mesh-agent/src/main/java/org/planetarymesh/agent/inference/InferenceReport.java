package org.planetarymesh.agent.inference;

import java.util.List;
import org.planetarymesh.core.node.ModelState;

/** What an agent advertises about inference in {@code hello} and heartbeats. */
public interface InferenceReport {
    /** An agent that serves no models. */
    InferenceReport NONE = new InferenceReport() {
        @Override
        public List<ModelState> modelStates() {
            return List.of();
        }

        @Override
        public int maxInference() {
            return 0;
        }

        @Override
        public double tokensPerSecond() {
            return 0;
        }
    };

    /** The models it serves now, with whether each is loaded and which backend serves it. */
    List<ModelState> modelStates();

    /** How many inference jobs it runs at once. */
    int maxInference();

    /** Its measured generation speed; 0 until measured. */
    double tokensPerSecond();
}
