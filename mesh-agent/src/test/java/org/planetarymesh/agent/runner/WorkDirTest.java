package org.planetarymesh.agent.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.executor.CapabilityRouter;
import org.planetarymesh.agent.executor.builtin.EchoExecutor;
import org.planetarymesh.agent.executor.builtin.SleepExecutor;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutionRequest;
import org.planetarymesh.executor.ExecutionResult;
import org.planetarymesh.executor.Executor;

/** A job's work dir exists only once its executor asks for it. */
class WorkDirTest {
    @TempDir
    Path data;

    private JobRunner runner;

    /** Writes a file into its work dir and returns the dir. */
    private static final class ScratchExecutor implements Executor {
        @Override
        public String name() {
            return "scratch";
        }

        @Override
        public ExecutionResult execute(ExecutionRequest request, ExecutionContext context) throws Exception {
            Path dir = context.workDir();
            Files.writeString(dir.resolve("note.txt"), "hello");
            assertThat(context.workDir()).isEqualTo(dir);
            return ExecutionResult.of(TextNode.valueOf(dir.toString()));
        }
    }

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
    }

    private JobRunner runner(Path workRoot) {
        Map<String, Executor> executors = Map.of(
                "echo", new EchoExecutor(),
                "sleep", new SleepExecutor(),
                "scratch", new ScratchExecutor(),
                "shell", org.planetarymesh.agent.executor.TestExecutors.shell("/bin/sh"));
        runner = new JobRunner(new CapabilityRouter(executors, Map.of(), null), 4, workRoot);
        return runner;
    }

    private static Outcome run(JobRunner runner, String jobId, String type, String payload) throws Exception {
        JsonNode json = Json.mapper().readTree(payload);
        CollectingJobListener listener = new CollectingJobListener();
        Admission admission = runner.submit(new JobTicket(jobId, 1, type, json, null), listener);
        assertThat(admission).isInstanceOf(Admission.Accepted.class);
        return listener.outcome().get(10, TimeUnit.SECONDS);
    }

    @Test
    void echoAndSleepJobsCreateNoWorkDir() throws Exception {
        Path workRoot = data.resolve("work");
        JobRunner runner = runner(workRoot);

        assertThat(run(runner, "echo-1", "echo", "{\"hi\": 1}")).isInstanceOf(Outcome.Done.class);
        assertThat(run(runner, "sleep-1", "sleep", "{\"ms\": 1}")).isInstanceOf(Outcome.Done.class);

        assertThat(workRoot).doesNotExist();
    }

    @Test
    void aJobWhoseExecutorAsksForItsWorkDirGetsOne() throws Exception {
        Path workRoot = data.resolve("work");
        JobRunner runner = runner(workRoot);

        Outcome outcome = run(runner, "scratch/1", "scratch", "{}");

        Path expected = workRoot.resolve("scratch_1-1");
        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Outcome.Done.class, d -> assertThat(d.result().asText()).isEqualTo(expected.toString()));
        assertThat(expected.resolve("note.txt")).hasContent("hello");
        assertThat(run(runner, "echo-2", "echo", "{}")).isInstanceOf(Outcome.Done.class);
        try (var dirs = Files.list(workRoot)) {
            assertThat(dirs).containsExactly(expected);
        }
    }

    @Test
    void shellJobsRunInTheirWorkDir() throws Exception {
        Path workRoot = data.resolve("work");
        JobRunner runner = runner(workRoot);

        Outcome outcome = run(runner, "sh-1", "shell", "{\"command\": [\"/bin/sh\", \"-c\", \"pwd -P\"]}");

        Path expected = workRoot.resolve("sh-1-1").toRealPath();
        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Outcome.Done.class,
                        d -> assertThat(d.result().get("stdout_tail").asText().strip())
                                .isEqualTo(expected.toString()));
    }

    @Test
    void aWorkDirThatCannotBeCreatedFailsOnlyTheJobThatAsksForIt() throws Exception {
        Path notADir = Files.writeString(data.resolve("work"), "a file where the work root should be");
        JobRunner runner = runner(notADir);

        Outcome outcome = run(runner, "scratch-2", "scratch", "{}");

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(f.retryable()).isTrue();
            assertThat(f.message())
                    .contains("cannot create the work dir")
                    .contains("scratch-2-1")
                    .contains("scratch-2");
        });
        assertThat(run(runner, "shell-2", "shell", "{\"command\": [\"/bin/sh\", \"-c\", \"true\"]}"))
                .isInstanceOfSatisfying(
                        Outcome.Failed.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.INTERNAL));
        assertThat(run(runner, "echo-3", "echo", "{}")).isInstanceOf(Outcome.Done.class);
    }
}
