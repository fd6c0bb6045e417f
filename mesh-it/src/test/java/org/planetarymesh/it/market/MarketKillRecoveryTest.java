package org.planetarymesh.it.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.market.OfferingTerms;
import org.planetarymesh.core.identity.SigningKey;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;

/**
 * kill -9 of the coordinator in the middle of settlements, three times: purchases are bought, their jobs run and
 * settle on the seller's node while the coordinator dies; after each restart the sweep finishes what was left, and in
 * the end every purchase is COMPLETED and settled exactly once: one escrow payment and one release each in the
 * ledger, the seller paid 98% of every price, the fee account 2%, escrow empty.
 */
class MarketKillRecoveryTest {

    private static final int ROUNDS = 3;
    private static final int PER_ROUND = 20;
    private static final long PRICE = 1_000;

    @TempDir
    Path dir;

    @Test
    void onSqliteEveryPurchaseIsSettledExactlyOnceAcrossRepeatedKills() throws Exception {
        killAndRecover();
    }

    @Test
    void onPostgresqlEveryPurchaseIsSettledExactlyOnceAcrossRepeatedKills() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            killAndRecover("--database-url", postgres.getJdbcUrl("postgres", "postgres"));
        }
    }

    private void killAndRecover(String... coordinatorArgs) throws Exception {
        try (MeshCluster mesh = new MeshCluster(dir)) {
            MeshProcess coordinator = mesh.startCoordinator(coordinatorArgs);
            mesh.startAgent("seller", "--max-concurrent", "4");
            MarketHttp market = new MarketHttp(mesh);
            SigningKey seller = MarketHttp.nodeKey(dir, "seller");
            SigningKey buyer = MarketHttp.newKey();
            market.mint(buyer.did(), ROUNDS * PER_ROUND * PRICE);
            String offering = market.publish(seller, new OfferingTerms("sleep", PRICE, 20_000, true, 600_000, "nap"));
            List<String> ids = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < PER_ROUND; i++) {
                    ids.add(market.buy(offering, "{\"ms\":150}", buyer)
                            .path("id")
                            .asText());
                }
                int before = completed(market);
                // Kill while purchases of this round are still settling: after a few of them completed.
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> completed(market) >= before + 3);
                int atKill = completed(market);
                coordinator.kill9();
                assertThat(atKill).as("the kill must land mid-round").isLessThan(ids.size());
                coordinator = mesh.startCoordinator(coordinatorArgs);
            }
            // A job the crash cost its one attempt fails, and its purchase is DISPUTED: the buyer resolves those by
            // retry (a signed action), as a buyer would, until every purchase has completed.
            int[] retries = {0};
            try {
                await().atMost(Duration.ofSeconds(180))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(() -> {
                            for (JsonNode p :
                                    market.get("/v1/purchases?status=DISPUTED").path("purchases")) {
                                if (market.act(p.path("id").asText(), "retry", buyer)
                                                .status()
                                        == 200) {
                                    retries[0]++;
                                }
                            }
                            return completed(market) == ids.size();
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                for (JsonNode p : market.get("/v1/purchases").path("purchases")) {
                    if (!p.path("status").asText().equals("COMPLETED")) {
                        String job = p.has("job_id")
                                ? market.get("/v1/jobs/" + p.path("job_id").asText())
                                        .toString()
                                : "";
                        System.out.println("UNSETTLED " + p + " JOB " + job);
                    }
                }
                System.out.println("COORDINATOR LOG " + coordinator.log());
                throw e;
            }
            System.out.printf(
                    "market kill -9: %d purchases, %d kills, %d disputes retried%n", ids.size(), ROUNDS, retries[0]);
            Map<String, Integer> statuses = new HashMap<>();
            for (JsonNode p : market.get("/v1/purchases?limit=500").path("purchases")) {
                statuses.merge(p.path("status").asText(), 1, Integer::sum);
            }
            assertThat(statuses).isEqualTo(Map.of("COMPLETED", ids.size()));
            long n = ids.size();
            long fee = PRICE * 2 / 100;
            assertThat(market.balance(seller.did()))
                    .as("seller paid once per purchase")
                    .isEqualTo(n * (PRICE - fee));
            assertThat(market.balance("platform:fees"))
                    .as("fee once per purchase")
                    .isEqualTo(n * fee);
            assertThat(market.balance("platform:escrow"))
                    .as("no escrow lost or left")
                    .isZero();
            assertThat(market.balance(buyer.did())).isZero();
            assertThat(market.balance("platform:issuance")).isEqualTo(-n * PRICE);

            Map<String, List<Long>> escrowByPurchase = new HashMap<>();
            for (JsonNode e :
                    market.get("/v1/accounts/platform:escrow/ledger?limit=1000").path("entries")) {
                escrowByPurchase
                        .computeIfAbsent(e.path("purchase_id").asText(), k -> new ArrayList<>())
                        .add(e.path("amount").asLong());
            }
            assertThat(escrowByPurchase.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            escrowByPurchase.forEach((id, amounts) ->
                    assertThat(amounts).as("escrow entries of " + id).containsExactlyInAnyOrder(PRICE, -PRICE));
            JsonNode sellerLedger = market.get("/v1/accounts/" + seller.did() + "/ledger?limit=1000");
            assertThat(sellerLedger.path("entries")).hasSize(ids.size());
            JsonNode stats = market.get("/v1/offerings/" + offering).path("stats");
            assertThat(stats.path("sold").asLong()).isEqualTo(n);
            assertThat(stats.path("completed").asLong()).isEqualTo(n);
        }
    }

    private static int completed(MarketHttp market) throws Exception {
        return market.get("/v1/purchases?status=COMPLETED").path("purchases").size();
    }
}
