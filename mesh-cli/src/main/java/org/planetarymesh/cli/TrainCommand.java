package org.planetarymesh.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.MeshClientOptions;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.retention.RetentionPolicy;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mesh train} (hidden): the run the launcher records the JVM's AOT cache from. It exercises what {@code mesh up}
 * and {@code mesh coordinator} run — a coordinator on SQLite in a temporary directory and an embedded agent, both on
 * loopback, fed {@code echo} jobs through the REST API with the SDK — and then stops. It needs nothing but this jar, so
 * the cache is trained on exactly the class path it is used with.
 */
@Command(
        name = "train",
        hidden = true,
        description = "Run echo jobs through a throwaway local mesh on loopback (the AOT cache's training run).")
public final class TrainCommand implements Callable<Integer> {

    private static final int BATCH = 500;

    @Spec
    CommandSpec spec;

    @Option(names = "--jobs", description = "Echo jobs to run (default: ${DEFAULT-VALUE}).", defaultValue = "20000")
    int jobs;

    @Option(
            names = "--timeout",
            description = "Seconds the run may take before it fails (default: ${DEFAULT-VALUE}).",
            defaultValue = "300")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (jobs < 1) {
            throw new UserError("invalid_jobs", "--jobs must be at least 1 (got " + jobs + ")");
        }
        Path dir = Files.createTempDirectory("mesh-train-");
        try {
            long completed = run(dir);
            spec.commandLine().getOut().println("Trained: " + completed + " echo jobs completed");
            spec.commandLine().getOut().flush();
            return completed == jobs ? 0 : 1;
        } finally {
            deleteTree(dir);
        }
    }

    /** Runs the jobs through a coordinator and an embedded agent in {@code dir}; returns how many completed. */
    private long run(Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        // Every job is kept: the run counts its completed jobs, which retention would delete past 5,000.
        try (Coordinator coordinator = Coordinator.start(CoordinatorConfig.defaults(dir.resolve("coordinator"))
                        .withPort(0)
                        .withRetention(RetentionPolicy.KEEP_ALL));
                Agent agent = Agent.start(AgentConfig.builder()
                        .coordinator(coordinator.url())
                        .token(coordinator.adminToken())
                        .name("train")
                        // As many slots as the bench's agents: the agent is never what the run waits on.
                        .maxConcurrent(64)
                        .labels(Map.of("mesh.local", "true"))
                        .dataDir(dir.resolve("agent"))
                        .httpPort(-1)
                        .shutdownGrace(Duration.ZERO)
                        .build());
                MeshClient client = MeshClient.connect(MeshClientOptions.of(coordinator.url(), coordinator.adminToken())
                        .withRequestTimeout(Duration.ofSeconds(60)))) {
            String last = submit(client);
            // The last job through the SDK's event stream (as `mesh submit --wait` does), the rest by the counters.
            Job lastJob = client.await(last, Duration.ofNanos(deadline - System.nanoTime()));
            if (lastJob.status() != JobStatus.COMPLETED) {
                throw new IllegalStateException("training job " + last + " ended " + lastJob.status());
            }
            return awaitCompleted(client, deadline);
        }
    }

    /** Submits the echo jobs in batches; returns the id of the last one. */
    private String submit(MeshClient client) {
        String last = null;
        for (int from = 0; from < jobs; from += BATCH) {
            int n = Math.min(BATCH, jobs - from);
            List<JobSpec> specs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                specs.add(
                        JobSpec.of("echo", JsonNodeFactory.instance.objectNode().put("n", from + i)));
            }
            List<String> ids = client.submitAll(specs);
            last = ids.getLast();
        }
        return last;
    }

    /** Polls {@code GET /v1/stats} until every job completed or the deadline passes; returns the count. */
    private long awaitCompleted(MeshClient client, long deadline) throws InterruptedException {
        while (true) {
            long completed =
                    client.getJson("/v1/stats").path("jobs").path("COMPLETED").asLong(0);
            if (completed >= jobs || System.nanoTime() > deadline) {
                return completed;
            }
            Thread.sleep(50);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
