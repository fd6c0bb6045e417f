package org.planetarymesh.coordinator.leadership;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the API shows about leadership: this coordinator's role in {@code GET /healthz}, and the coordinators sharing
 * the database in {@code GET /v1/coordinators}. On SQLite the one coordinator is its own leader ({@link #single}).
 */
public interface LeadershipView {

    /** The fields {@code /healthz} adds: {@code role}, and on PostgreSQL {@code epoch} and {@code leader}. */
    Map<String, Object> health();

    /** Every coordinator on the database, as {@code GET /v1/coordinators} lists them. */
    List<Map<String, Object>> coordinators();

    /** The view of a coordinator that is alone by construction (SQLite): the leader at {@code url}, epoch 0. */
    static LeadershipView single(java.util.function.Supplier<String> url) {
        return new LeadershipView() {
            @Override
            public Map<String, Object> health() {
                return Map.of("role", CoordinatorRole.LEADER.id());
            }

            @Override
            public List<Map<String, Object>> coordinators() {
                Map<String, Object> self = new LinkedHashMap<>();
                self.put("url", url.get());
                self.put("role", CoordinatorRole.LEADER.id());
                self.put("alive", true);
                return List.of(self);
            }
        };
    }
}
