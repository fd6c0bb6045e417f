package org.planetarymesh.it.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.Chunks;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.it.agent.Jobs;

/**
 * {@code wasm} jobs on a real coordinator and a real agent process, with modules built from {@code src/test/wasm}:
 * streamed WASI output, a kernel's answer, a timeout, a memory cap, a cancel, a trap, fuel, a malformed module, and a
 * module fetched once from the blob store and then reused.
 */
class WasmJobsTest {
    private static final Map<String, String> WASM = Map.of("role", "wasm");
    /** The agent's memory cap for these tests: 64 pages, 4 MiB. */
    private static final int CAP_PAGES = 64;

    @TempDir
    static Path dir;

    static MeshCluster mesh;
    static MeshProcess agent;
    static MeshClient client;

    @BeforeAll
    static void startMesh() {
        mesh = new MeshCluster(dir);
        mesh.startCoordinator();
        agent = mesh.startAgent(
                "wasm",
                "--labels",
                "role=wasm",
                "--max-concurrent",
                "4",
                "--executor-setting",
                "wasm.max_memory_pages=" + CAP_PAGES);
        client = MeshClient.connect(mesh.url(), mesh.token());
    }

    @AfterAll
    static void stopMesh() {
        if (client != null) {
            client.close();
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    private static String put(byte[] module) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(URI.create(mesh.url() + "/v1/blobs"))
                            .header("Authorization", "Bearer " + mesh.token())
                            .header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(module))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isIn(200, 201);
            return Jobs.json(answer.body()).path("cid").asText();
        }
    }

    private static Job run(String payload, Long timeoutMs) {
        Job job = client.submit(Jobs.once("wasm", payload, WASM).withTimeoutMs(timeoutMs));
        return client.await(job.id(), Duration.ofSeconds(60));
    }

    private static void assertAgentIdle() {
        int port = Jobs.localApiPort(agent);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Jobs.json(Jobs.get("http://127.0.0.1:" + port + "/healthz")
                                        .body())
                                .path("load")
                                .asDouble())
                        .as("the agent freed the slot")
                        .isZero());
        Job after = run("{\"module_base64\":\"" + b64("kernel") + "\",\"function\":\"add\",\"params\":[2,3]}", null);
        assertThat(after.status()).as("a job after it: %s", after.error()).isEqualTo(JobStatus.COMPLETED);
    }

    private static String b64(String module) {
        return Base64.getEncoder().encodeToString(WasmModules.bytes(module));
    }

    @Test
    void aWasiCommandStreamsItsOutputAndAModuleIsFetchedOnceThenReused() throws Exception {
        String cid = put(WasmModules.bytes("hello"));
        Path cached = dir.resolve("agent-wasm").resolve("blobs").resolve(cid);
        assertThat(cached).doesNotExist();
        Job job = client.submit(Jobs.once("wasm", "{\"module\":\"" + cid + "\",\"stdin\":\"ping\\n\"}", WASM));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        List<Long> seqs = new ArrayList<>();
        try (var stream = client.events(job.id())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                while (stream.hasNext()) {
                    JobEvent event = stream.next();
                    if (event.kind() == JobEvent.Kind.CHUNK) {
                        seqs.add(event.seq());
                        ("stderr".equals(event.stream()) ? stderr : stdout).writeBytes(Chunks.bytes(event));
                    }
                }
                return true;
            });
        }
        Job done = client.await(job.id(), Duration.ofSeconds(30));
        assertThat(done.status()).as("%s", done.error()).isEqualTo(JobStatus.COMPLETED);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("hello from wasm\nping\n");
        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("a line on stderr\n");
        assertThat(seqs).as("three chunks, in order").hasSize(3).isSorted();
        assertThat(done.result().path("exit_code").asInt()).isZero();
        assertThat(done.result().path("module_source").asText()).isEqualTo("fetched");
        assertThat(cached).exists();
        assertThat(Files.readAllBytes(cached)).isEqualTo(WasmModules.bytes("hello"));

        Job again = run("{\"module\":\"" + cid + "\"}", null);
        assertThat(again.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(again.result().path("module_source").asText())
                .as("the second job reuses the loaded module, no fetch")
                .isEqualTo("memory");
    }

    @Test
    void theKernelReturnsTheRightAnswerCompiledAndInterpreted() throws Exception {
        String cid = put(WasmModules.bytes("kernel"));
        long seed = 42;
        long n = 2_000_000;
        long x = seed;
        long acc = 0;
        for (long i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            acc += x ^ (x >>> 29);
        }
        Job compiled = run("{\"module\":\"" + cid + "\",\"function\":\"lcg\",\"params\":[42," + n + "]}", null);
        assertThat(compiled.status()).as("%s", compiled.error()).isEqualTo(JobStatus.COMPLETED);
        assertThat(compiled.result().path("results").get(0).asLong()).isEqualTo(acc);
        assertThat(compiled.result().path("mode").asText()).isEqualTo("compiled");

        Job interpreted = run(
                "{\"module\":\"" + cid + "\",\"function\":\"lcg\",\"params\":[42,1000],\"mode\":\"interpreted\"}",
                null);
        JsonNode r = interpreted.result();
        assertThat(r.path("mode").asText()).isEqualTo("interpreted");
        long x2 = 42;
        long acc2 = 0;
        for (int i = 0; i < 1000; i++) {
            x2 = x2 * 6364136223846793005L + 1442695040888963407L;
            acc2 += x2 ^ (x2 >>> 29);
        }
        assertThat(r.path("results").get(0).asLong()).isEqualTo(acc2);
        Job half = run("{\"module\":\"" + cid + "\",\"function\":\"half\",\"params\":[5]}", null);
        assertThat(half.result().path("results").get(0).asDouble()).isEqualTo(2.5);
    }

    @Test
    void anInfiniteLoopEndsAtItsTimeout() {
        long start = System.nanoTime();
        Job done = run("{\"module_base64\":\"" + b64("spin") + "\",\"function\":\"spin\"}", 1_000L);
        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.error().code()).isEqualTo("timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertAgentIdle();
    }

    @Test
    void aMemoryHogEndsAtTheCap() {
        Job done = run("{\"module_base64\":\"" + b64("hog") + "\",\"function\":\"hog\"}", null);
        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.error().code()).isEqualTo("wasm_out_of_memory");
        assertThat(done.error().message()).contains(CAP_PAGES + " pages");
        assertAgentIdle();
    }

    @Test
    void cancelStopsARunningModuleAtOnce() {
        Job job = client.submit(
                Jobs.once("wasm", "{\"module_base64\":\"" + b64("spin") + "\",\"function\":\"spin\"}", WASM));
        await().atMost(Duration.ofSeconds(30)).until(() -> client.get(job.id()).status() == JobStatus.RUNNING);
        long start = System.nanoTime();
        Job cancelled = client.cancel(job.id());
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        int port = Jobs.localApiPort(agent);
        await().atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(Jobs.json(Jobs.get("http://127.0.0.1:" + port + "/healthz")
                                        .body())
                                .path("load")
                                .asDouble())
                        .as("the module stopped and freed its slot")
                        .isZero());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertAgentIdle();
    }

    @Test
    void aTrapAMalformedModuleAndSpentFuelHaveTheirOwnCodes() {
        Job trap = run("{\"module_base64\":\"" + b64("trap") + "\",\"function\":\"divide\",\"params\":[1,0]}", null);
        assertThat(trap.error().code()).isEqualTo("wasm_trap");
        String junk = Base64.getEncoder().encodeToString("not a module".getBytes(StandardCharsets.UTF_8));
        Job malformed = run("{\"module_base64\":\"" + junk + "\",\"function\":\"f\"}", null);
        assertThat(malformed.error().code()).isEqualTo("wasm_malformed");
        Job fuel = run("{\"module_base64\":\"" + b64("spin") + "\",\"function\":\"spin\",\"fuel\":100000}", 30_000L);
        assertThat(fuel.error().code()).isEqualTo("wasm_out_of_fuel");
        Job exit = run("{\"module_base64\":\"" + b64("exit") + "\"}", null);
        assertThat(exit.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(exit.result().path("exit_code").asInt()).isEqualTo(3);
        assertAgentIdle();
    }
}
