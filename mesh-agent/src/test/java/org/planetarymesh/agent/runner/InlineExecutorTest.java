package org.planetarymesh.agent.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.executor.CapabilityRouter;
import org.planetarymesh.agent.executor.builtin.EchoExecutor;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutionRequest;
import org.planetarymesh.executor.ExecutionResult;
import org.planetarymesh.executor.Executor;

/** An executor that says it runs inline is called on the submitting thread; others get a thread of their own. */
class InlineExecutorTest {
    @TempDir
    Path data;

    private JobRunner runner;

    /** Answers with the name of the thread it ran on. */
    private record ThreadName(String name, boolean runsInline) implements Executor {
        @Override
        public ExecutionResult execute(ExecutionRequest request, ExecutionContext context) {
            return ExecutionResult.of(TextNode.valueOf(Thread.currentThread().getName()));
        }
    }

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
    }

    private JobRunner runner() {
        Map<String, Executor> executors = Map.of(
                "inline", new ThreadName("inline", true),
                "threaded", new ThreadName("threaded", false),
                "echo", new EchoExecutor());
        runner = new JobRunner(new CapabilityRouter(executors, Map.of(), null), 4, data);
        return runner;
    }

    @Test
    void anInlineExecutorHasFinishedOnTheCallersThreadWhenSubmitReturns() {
        JobRunner runner = runner();
        CollectingJobListener listener = new CollectingJobListener();
        Thread.currentThread().interrupt(); // an inline run must leave the caller's interrupt flag alone

        Admission admission = runner.submit(new JobTicket("j-1", 1, "inline", null, null), listener);

        assertThat(Thread.interrupted()).isTrue();
        assertThat(admission).isInstanceOf(Admission.Accepted.class);
        assertThat(listener.outcome()).isDone();
        assertThat(listener.outcome().join())
                .isInstanceOfSatisfying(
                        Outcome.Done.class,
                        d -> assertThat(d.result().asText())
                                .isEqualTo(Thread.currentThread().getName()));
        assertThat(runner.running()).isEmpty();
        assertThat(runner.load()).isZero();
    }

    @Test
    void otherExecutorsRunOnAThreadOfTheirOwn() throws Exception {
        CollectingJobListener listener = new CollectingJobListener();

        runner().submit(new JobTicket("j-2", 1, "threaded", null, null), listener);

        assertThat(listener.outcome().get(10, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(
                        Outcome.Done.class, d -> assertThat(d.result().asText()).isEqualTo("job-j-2"));
    }

    @Test
    void echoRunsInline() {
        assertThat(new EchoExecutor().runsInline()).isTrue();
    }
}
