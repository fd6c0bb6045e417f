package org.planetarymesh.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;

/**
 * {@code wasm}: the CPU-bound kernel ({@code kernel.wat}, an LCG loop) run through the mesh against the same module
 * run by Node.js (V8) on this machine, in one run; then the per-job overhead of a tiny cached module (its {@code add})
 * against an {@code echo} job, both submitted one at a time. Needs {@code wat2wasm} (Debian's wabt) and {@code node}.
 */
final class WasmScenario {
    /** Iterations of the kernel per run: long enough that compilation and instantiation are noise. */
    private static final long ITERATIONS = 100_000_000L;

    private WasmScenario() {}

    static void run(MeshUnderTest mesh, BenchOptions options, Results results, PrintStream err) throws Exception {
        int runs = BenchOptions.or(options.jobs(), 5);
        int tiny = 10 * runs * 20;
        Path wasm = compileKernel(mesh.workDir());
        MeshClient client = mesh.client();
        String cid = client.putBlob(Files.readAllBytes(wasm));
        String payload = "{\"module\":\"" + cid + "\",\"function\":\"lcg\",\"params\":[42," + ITERATIONS + "]}";
        run(client, payload); // warm-up: fetch, compile, JIT
        double[] meshMs = new double[runs];
        String answer = null;
        for (int i = 0; i < runs; i++) {
            Job done = run(client, payload);
            meshMs[i] = Duration.between(done.startedAt(), done.finishedAt()).toNanos() / 1e6;
            answer = done.result().path("results").get(0).asText();
            err.printf(Locale.ROOT, "wasm: kernel run %d through the mesh: %.1f ms%n", i + 1, meshMs[i]);
        }
        NodeRuns node = node(wasm, runs + 1, mesh.workDir());
        if (!node.answer.equals(answer)) {
            throw new IllegalStateException("the mesh answered " + answer + ", Node.js " + node.answer);
        }
        double meshMedian = median(meshMs);
        double nodeMedian = median(Arrays.copyOfRange(node.ms, 1, node.ms.length));
        results.result("wasm_kernel_mesh_ms", round(meshMedian), "ms");
        results.result("wasm_kernel_node_ms", round(nodeMedian), "ms");
        results.result("wasm_kernel_ratio", round(meshMedian / nodeMedian), "x");
        String add = "{\"module\":\"" + cid + "\",\"function\":\"add\",\"params\":[2,3]}";
        Percentiles wasmTiny = oneAtATime(client, "wasm", add, tiny);
        Percentiles echo = oneAtATime(client, "echo", "{\"n\":1}", tiny);
        results.result("wasm_tiny_completed_p50", round(wasmTiny.at(50)), "ms");
        results.result("echo_completed_p50", round(echo.at(50)), "ms");
        results.result("wasm_tiny_overhead_p50", round(wasmTiny.at(50) - echo.at(50)), "ms");
        results.note(String.format(
                Locale.ROOT,
                "wasm: kernel (%,d iterations) median %.1f ms through the mesh (compiled, run time on the agent)"
                        + " vs %.1f ms in Node.js %s: %.2fx; a tiny cached module's job p50 %.3f ms vs echo %.3f ms",
                ITERATIONS,
                meshMedian,
                nodeMedian,
                node.version,
                meshMedian / nodeMedian,
                wasmTiny.at(50),
                echo.at(50)));
    }

    private static Job run(MeshClient client, String payload) {
        Job job = client.submit(JobSpec.of("wasm", Json.mapper().valueToTree(parse(payload))));
        Job done = client.await(job.id(), Duration.ofSeconds(300));
        if (done.status() != JobStatus.COMPLETED) {
            throw new IllegalStateException("wasm job " + job.id() + " ended " + done.status() + ": " + done.error());
        }
        return done;
    }

    private static Object parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Percentiles oneAtATime(MeshClient client, String type, String payload, int jobs) {
        int warmup = jobs / 4;
        double[] ms = new double[jobs];
        for (int i = -warmup; i < jobs; i++) {
            Instant at = Instant.now();
            Job done = client.await(
                    client.submit(JobSpec.of(type, Json.mapper().valueToTree(parse(payload))))
                            .id(),
                    Duration.ofSeconds(30));
            if (i >= 0) {
                ms[i] = Duration.between(at, done.finishedAt()).toNanos() / 1e6;
            }
        }
        return new Percentiles(ms);
    }

    private static Path compileKernel(Path workDir) throws IOException, InterruptedException {
        Path wat = workDir.resolve("kernel.wat");
        Path wasm = workDir.resolve("kernel.wasm");
        try (InputStream in = WasmScenario.class.getResourceAsStream("kernel.wat")) {
            Files.write(wat, in.readAllBytes());
        }
        exec(List.of("wat2wasm", wat.toString(), "-o", wasm.toString()), workDir);
        return wasm;
    }

    /** Node.js timings of {@code runs} runs of the kernel, one process. */
    private record NodeRuns(double[] ms, String answer, String version) {}

    private static NodeRuns node(Path wasm, int runs, Path workDir) throws IOException, InterruptedException {
        Path script = workDir.resolve("kernel.mjs");
        Files.writeString(script, """
                import { readFileSync } from 'node:fs';
                const [file, n, runs] = process.argv.slice(2);
                const { instance } = await WebAssembly.instantiate(readFileSync(file));
                let answer;
                for (let i = 0; i < Number(runs); i++) {
                  const t = process.hrtime.bigint();
                  answer = instance.exports.lcg(42n, BigInt(n));
                  console.log('ms', Number(process.hrtime.bigint() - t) / 1e6);
                }
                console.log('answer', BigInt.asIntN(64, answer).toString());
                console.log('version', process.version);
                """);
        String out = exec(
                List.of("node", script.toString(), wasm.toString(), Long.toString(ITERATIONS), Integer.toString(runs)),
                workDir);
        List<Double> ms = new ArrayList<>();
        String answer = null;
        String version = null;
        for (String line : out.split("\n")) {
            String[] parts = line.strip().split(" ", 2);
            switch (parts[0]) {
                case "ms" -> ms.add(Double.parseDouble(parts[1]));
                case "answer" -> answer = parts[1];
                case "version" -> version = parts[1];
                default -> {}
            }
        }
        return new NodeRuns(ms.stream().mapToDouble(Double::doubleValue).toArray(), answer, version);
    }

    private static String exec(List<String> command, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command.getFirst() + " failed (is it installed?): " + out);
        }
        return out;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
