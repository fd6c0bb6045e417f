package org.planetarymesh.coordinator.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.planetarymesh.coordinator.api.ApiException;
import org.planetarymesh.core.identity.SigningKey;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.NetworkProps;
import org.planetarymesh.core.job.Resources;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.core.node.NodeStatus;

/** Delegation's checks on the receiving mesh, each refusal with its status and code. */
class ForeignJobPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-08T01:00:00Z");
    private final SigningKey link = SigningKey.fromSeed(new byte[32]);
    private final FederationSettings open = FederationSettings.DEFAULTS.withAcceptForeignJobs(true);

    private JobSpec foreign(int hops, int maxHops, long reward, Instant issued) {
        JobSpec spec = JobSpec.of("echo", Json.mapper().createObjectNode().put("n", 1));
        NetworkProps unsigned = new NetworkProps(link.did(), "", issued, 60, hops, maxHops, reward);
        return spec.withNetwork(unsigned.signed(spec.type(), spec.payload(), spec.requirements(), link));
    }

    private static NodeInfo node(String id, int running, Map<String, String> labels) {
        return new NodeInfo(
                id,
                id,
                "websocket",
                null,
                NodeStatus.HEALTHY,
                List.of("echo"),
                List.of("echo"),
                List.of(),
                1,
                running,
                Resources.NONE,
                labels,
                NOW,
                NOW,
                false);
    }

    private static ApiException refusal(FederationSettings settings, JobSpec spec, List<NodeInfo> nodes) {
        return catchThrowableOfType(ApiException.class, () -> new ForeignJobPolicy(settings).check(spec, nodes, NOW));
    }

    @Test
    void aSignedJobWithinPolicyOnAMeshWithRoomIsAccepted() {
        assertThatCode(() ->
                        new ForeignJobPolicy(open).check(foreign(1, 2, 0, NOW), List.of(node("a", 0, Map.of())), NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void eachPolicyRefusesWithItsCode() {
        List<NodeInfo> free = List.of(node("a", 0, Map.of()));
        assertThat(refusal(FederationSettings.DEFAULTS, foreign(1, 2, 0, NOW), free)
                        .code())
                .isEqualTo("foreign_job_refused");
        assertThat(refusal(open.withMaxHops(1), foreign(2, 3, 0, NOW), free).code())
                .isEqualTo("max_hops_exceeded");
        assertThat(refusal(open, foreign(1, 2, 0, NOW.minusSeconds(61)), free).code())
                .isEqualTo("ttl_expired");
        assertThat(refusal(open.withMinReward(5), foreign(1, 2, 4, NOW), free).status())
                .isEqualTo(402);
        JobSpec tampered = foreign(1, 2, 0, NOW);
        NetworkProps n = tampered.network();
        tampered = tampered.withNetwork(
                new NetworkProps(n.issuer(), n.signature(), n.issuedAt(), n.ttlSeconds(), 1, 5, n.reward()));
        assertThat(refusal(open, tampered, free).code()).isEqualTo("invalid_signature");
        assertThat(refusal(open, foreign(1, 2, 0, NOW), List.of(node("a", 1, Map.of())))
                        .getMessage())
                .contains("full");
    }

    @Test
    void onItsLastHopAJobDoesNotCountAPeerLinkAsRoom() {
        List<NodeInfo> onlyAPeer = List.of(node("link", 0, Map.of(ForeignJobPolicy.PEER_LABEL, "http://a")));
        ApiException refused = refusal(open, foreign(2, 2, 0, NOW), onlyAPeer);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.getMessage()).contains("max hops");
        assertThatCode(() -> new ForeignJobPolicy(open).check(foreign(1, 2, 0, NOW), onlyAPeer, NOW))
                .doesNotThrowAnyException();
    }
}
