package org.planetarymesh.it.leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.MeshClientException;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.testkit.faults.KillablePostgres;

/**
 * Three coordinator processes on a real PostgreSQL server; agents, the SDK and the CLI are given lists of
 * coordinators in which the leader comes last (and a dead address first): they find the leader, and after it is
 * killed with SIGKILL they follow the standby that takes over, with the jobs in flight completed once each.
 */
class LeaderFailoverTest {

    private static final int JOBS = 300;

    @TempDir
    Path dir;

    @Test
    void agentsTheSdkAndTheCliFindTheLeaderAndFollowItThroughATakeover() throws Exception {
        try (KillablePostgres postgres = KillablePostgres.create();
                Coordinators coordinators = new Coordinators(dir, postgres.jdbcUrl(), 3, Map.of())) {
            coordinators.startAll();
            assertThat(coordinators.leader()).as("the first one started leads").isZero();
            assertThat(coordinators.health(1).path("role").asText()).isEqualTo("standby");
            assertThat(coordinators.health(1).path("leader").asText()).isEqualTo(coordinators.url(0));
            String token = coordinators.token();
            String leaderLast = coordinators.url(2) + "," + coordinators.url(1) + "," + coordinators.url(0);
            List<MeshProcess> agents = new ArrayList<>();
            try {
                for (String name : List.of("f1", "f2")) {
                    MeshProcess agent = Fleet.agent(dir, name, leaderLast, token, 16);
                    agents.add(agent);
                    agent.awaitLog("connected to coordinator " + coordinators.url(0), MeshCluster.START);
                }
                String deadFirst = "http://127.0.0.1:" + MeshCluster.freePort() + "," + leaderLast;
                try (MeshClient client = MeshClient.connect(deadFirst, token)) {
                    List<String> ids = new ArrayList<>(client.submitAll(Fleet.sleeps(JOBS / 3, 5)));
                    await().atMost(Duration.ofSeconds(60)).until(() -> Fleet.completed(client, JOBS) == JOBS / 3);

                    MeshProcess.Result listed = MeshProcess.run(
                            dir,
                            Map.of(),
                            Duration.ofSeconds(60),
                            "coordinators",
                            "--coordinator",
                            coordinators.url(2),
                            "--token",
                            token);
                    assertThat(listed.exitCode()).as(listed.stderr()).isZero();
                    assertThat(listed.stdout()).contains(coordinators.url(0), coordinators.url(1), coordinators.url(2));
                    assertThat(listed.stdout().lines().filter(l -> l.contains(" leader ")))
                            .singleElement()
                            .asString()
                            .contains(coordinators.url(0));
                    assertThat(listed.stdout().lines().filter(l -> l.contains(" standby ")))
                            .hasSize(2);

                    // Jobs in flight (two thirds of them, 50 ms each on 32 slots) when the leader is killed.
                    ids.addAll(client.submitAll(Fleet.sleeps(JOBS - JOBS / 3, 50)));
                    long killedAt = System.nanoTime();
                    coordinators.process(0).kill9();
                    int next = coordinators.awaitLeaderOtherThan(0, Duration.ofSeconds(30));
                    Duration leaderAfter = Duration.ofNanos(System.nanoTime() - killedAt);
                    Duration takeover = Fleet.takeover(client, killedAt, Duration.ofSeconds(60));
                    System.out.printf(
                            "[failover] SIGKILL of the leader: coordinator %d leads after %d ms; jobs dispatched"
                                    + " again after %d ms%n",
                            next, leaderAfter.toMillis(), takeover.toMillis());
                    for (MeshProcess agent : agents) {
                        agent.awaitLog("connected to coordinator " + coordinators.url(next), MeshCluster.START);
                    }
                    await().atMost(Duration.ofSeconds(120))
                            .pollInterval(Duration.ofMillis(500))
                            .ignoreExceptionsInstanceOf(MeshClientException.class)
                            .until(() -> Fleet.completed(client, JOBS + 10) >= JOBS + 1);
                    long attempts = Fleet.checkAllCompletedOnce(client, null, token, new HashSet<>(ids));
                    HttpClient http = HttpClient.newHttpClient();
                    for (String id : ids) {
                        assertThat(Fleet.ends(http, coordinators.url(next), token, id))
                                .as("end events of %s", id)
                                .isEqualTo(1);
                    }
                    System.out.printf("[failover] %d jobs COMPLETED once each in %d attempts%n", ids.size(), attempts);
                }
            } finally {
                agents.forEach(MeshProcess::close);
            }
        }
    }
}
