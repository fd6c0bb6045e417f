package org.planetarymesh.agent.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.executor.CapabilityRouter;
import org.planetarymesh.agent.link.Outbox;
import org.planetarymesh.agent.link.OutboxJobListener;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.executor.ErrorCode;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutionRequest;
import org.planetarymesh.executor.ExecutionResult;
import org.planetarymesh.executor.Executor;
import org.planetarymesh.executor.ExecutorException;
import org.planetarymesh.executor.Usage;

/** What an executor does through its context reaches the coordinator as the protocol says. */
class ExecutionContextTest {
    @TempDir
    Path work;

    private JobRunner runner;
    private final Outbox outbox = new Outbox(1000);

    @AfterEach
    void close() {
        runner.close();
    }

    private Message run(Executor executor, String jobId) {
        if (runner != null) {
            runner.close();
        }
        runner = new JobRunner(new CapabilityRouter(Map.of(executor.name(), executor), Map.of(), null), 4, work);
        Admission admission = runner.submit(
                new JobTicket(jobId, 1, executor.name(), null, null), new OutboxJobListener(outbox, jobId, 1));
        assertThat(admission).isInstanceOf(Admission.Accepted.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.running().isEmpty());
        return outbox.peekBatch(Integer.MAX_VALUE).getLast();
    }

    private abstract static class Named implements Executor {
        @Override
        public String name() {
            return "model";
        }
    }

    @Test
    void usageGoesWithTheResultAsTokensAndWithAnErrorAsTokensEmitted() {
        Message done = run(
                new Named() {
                    @Override
                    public ExecutionResult execute(ExecutionRequest request, ExecutionContext context) {
                        context.usage(new Usage(12, 3));
                        context.usage(new Usage(12, 40));
                        return ExecutionResult.of(TextNode.valueOf("answer"));
                    }
                },
                "ok");
        assertThat(done).isInstanceOfSatisfying(Message.JobDone.class, d -> {
            assertThat(d.tokens()).isEqualTo(new Message.Tokens(12, 40));
            assertThat(d.result().asText()).isEqualTo("answer");
        });

        Message failed = run(
                new Named() {
                    @Override
                    public ExecutionResult execute(ExecutionRequest request, ExecutionContext context)
                            throws ExecutorException {
                        context.usage(new Usage(5, 9));
                        throw new ExecutorException(ErrorCode.BACKEND_TIMEOUT, "the model server took too long");
                    }
                },
                "slow");
        assertThat(failed).isInstanceOfSatisfying(Message.JobError.class, e -> {
            assertThat(e.errorCode()).isEqualTo("backend_timeout");
            assertThat(e.retryable()).isTrue();
            assertThat(e.tokensEmitted()).isEqualTo(9);
        });
    }

    @Test
    void aCancelRunsTheHookSetsTheFlagAndIsReportedCancelled() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean hookRan = new AtomicBoolean();
        AtomicBoolean sawFlag = new AtomicBoolean();
        Executor waits = new Named() {
            @Override
            public ExecutionResult execute(ExecutionRequest request, ExecutionContext context) {
                context.onCancel(() -> hookRan.set(true));
                started.countDown();
                // Bounded: the cancel below comes within the test's timeout; interruption ends the wait early.
                long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!context.cancelled() && System.nanoTime() < until) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        break;
                    }
                }
                sawFlag.set(context.cancelled());
                return ExecutionResult.of(null);
            }
        };
        runner = new JobRunner(new CapabilityRouter(Map.of("model", waits), Map.of(), null), 4, work);
        runner.submit(new JobTicket("long", 1, "model", null, null), new OutboxJobListener(outbox, "long", 1));
        started.await();

        assertThat(runner.cancel("long", 1, "user asked")).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> runner.running().isEmpty());
        assertThat(outbox.peekBatch(Integer.MAX_VALUE).getLast()).isInstanceOfSatisfying(Message.JobError.class, e -> {
            assertThat(e.errorCode()).isEqualTo("cancelled");
            assertThat(e.message()).isEqualTo("cancelled: user asked");
        });
        await().atMost(Duration.ofSeconds(5)).untilTrue(hookRan);
        assertThat(sawFlag).isTrue();
    }
}
