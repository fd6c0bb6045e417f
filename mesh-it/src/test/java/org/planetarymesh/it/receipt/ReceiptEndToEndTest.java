package org.planetarymesh.it.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.it.agent.Jobs;

/**
 * Receipts end to end on real processes: a coordinator and an agent run a shell job (chunks and a result), {@code mesh
 * receipt get --save} fetches its receipt, spec and output, and {@code mesh receipt verify} checks them with no
 * coordinator reachable; a flipped byte in any of the three fails, and an edited log export fails
 * {@code mesh receipt verify-log} at the edited entry.
 */
class ReceiptEndToEndTest {

    private static final Duration CLI = Duration.ofSeconds(60);
    /** Nothing listens here: the offline commands must not need a coordinator. */
    private static final String NOWHERE = "http://127.0.0.1:9";

    @TempDir
    static Path dir;

    static MeshCluster mesh;
    static MeshClient client;
    static Job shell;
    static Path saved;

    @BeforeAll
    static void runAJob() throws Exception {
        mesh = new MeshCluster(dir);
        // Receipts are opt-in (the receipts setting); an operator turns them on in the coordinator's file.
        Path config = java.nio.file.Files.writeString(dir.resolve("coordinator.toml"), "receipts = true\n");
        mesh.startCoordinator("--config", config.toString());
        mesh.startAgent("worker", "--allow-shell", "sh", "--labels", "role=worker");
        client = MeshClient.connect(mesh.url(), mesh.token());
        shell = client.submit(
                Jobs.once("shell", "{\"command\":[\"sh\",\"-c\",\"echo one; echo two >&2; echo three\"]}", Map.of()));
        assertThat(client.await(shell.id(), Duration.ofSeconds(60)).status()).isEqualTo(JobStatus.COMPLETED);
        saved = dir.resolve("saved");
        MeshProcess.Result get = cli(
                "receipt",
                "get",
                shell.id(),
                "--save",
                saved.toString(),
                "--coordinator",
                mesh.url(),
                "--token",
                mesh.token());
        assertThat(get.exitCode()).as(get.stderr()).isZero();
        assertThat(Json.mapper().readTree(get.stdout()).path("receipt_cid").asText())
                .isEqualTo(client.get(shell.id()).receiptCid());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    private static MeshProcess.Result cli(String... args) {
        return MeshProcess.run(dir, Map.of(), CLI, args);
    }

    private static MeshProcess.Result verifyOffline(Path receipt, Path spec, Path output) {
        return cli(
                "receipt",
                "verify",
                receipt.toString(),
                "--spec",
                spec.toString(),
                "--output",
                output.toString(),
                "--coordinator",
                NOWHERE);
    }

    @Test
    void theSavedReceiptVerifiesOfflineWithItsSpecAndOutput() {
        MeshProcess.Result result =
                verifyOffline(saved.resolve("receipt.json"), saved.resolve("spec.json"), saved.resolve("output.json"));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout())
                .contains("ok  signed by did:key:z6Mk")
                .contains("ok  spec_cid is the CID of")
                .contains("ok  output_cid is the CID of")
                .endsWith("valid\n");
    }

    @Test
    void aJobsReceiptVerifiesAgainstTheCoordinator() {
        MeshProcess.Result result =
                cli("receipt", "verify", shell.id(), "--coordinator", mesh.url(), "--token", mesh.token());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("ok  output_cid is the CID of the job's output");
    }

    @Test
    void aFlippedByteInTheReceiptTheSpecOrTheOutputFailsVerification() throws IOException {
        for (String name : List.of("receipt.json", "spec.json", "output.json")) {
            byte[] bytes = Files.readAllBytes(saved.resolve(name));
            // Spread over the file: structure, keys, values, signature and digests all get hit.
            for (int k = 1; k <= 6; k++) {
                int at = (int) ((long) bytes.length * k / 7);
                byte[] flipped = bytes.clone();
                flipped[at] = (byte) (flipped[at] ^ 0x01);
                Path copy = dir.resolve("flipped-" + k + "-" + name);
                Files.write(copy, flipped);
                Path receipt = name.equals("receipt.json") ? copy : saved.resolve("receipt.json");
                Path spec = name.equals("spec.json") ? copy : saved.resolve("spec.json");
                Path output = name.equals("output.json") ? copy : saved.resolve("output.json");
                MeshProcess.Result result = verifyOffline(receipt, spec, output);
                assertThat(result.exitCode())
                        .as("byte %d of %s flipped: %s", at, name, result.stdout())
                        .isEqualTo(1);
                assertThat(result.stderr()).containsAnyOf("INVALID", "not a readable JSON document");
            }
        }
    }

    @Test
    void anEditedLogExportFailsAtTheEditedEntry() throws Exception {
        Job second = client.submit(Jobs.once("echo", "{\"n\":2}", Map.of()));
        client.await(second.id(), Duration.ofSeconds(60));
        HttpResponse<String> export = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(mesh.url() + "/v1/receipts?from=1"))
                                .header("Authorization", "Bearer " + mesh.token())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(export.statusCode()).isEqualTo(200);
        Path log = dir.resolve("log.json");
        Files.writeString(log, export.body());
        MeshProcess.Result valid = cli("receipt", "verify-log", log.toString());
        assertThat(valid.exitCode()).as(valid.stderr()).isZero();
        assertThat(valid.stdout()).contains("2 entries chain to the head seq 2");

        ObjectNode edited = (ObjectNode) Json.mapper().readTree(export.body());
        ArrayNode entries = (ArrayNode) edited.get("entries");
        JsonNode firstCid = entries.get(0).get("receipt_cid");
        ((ObjectNode) entries.get(0)).set("receipt_cid", entries.get(1).get("receipt_cid"));
        ((ObjectNode) entries.get(1)).set("receipt_cid", firstCid);
        Path tampered = dir.resolve("log-edited.json");
        Files.writeString(tampered, edited.toString());
        MeshProcess.Result caught = cli("receipt", "verify-log", tampered.toString());
        assertThat(caught.exitCode()).isEqualTo(1);
        assertThat(caught.stderr()).contains("entry seq 1 was edited");
    }
}
