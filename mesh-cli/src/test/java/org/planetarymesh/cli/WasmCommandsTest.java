package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.core.blob.Cid;

/** {@code mesh blob put} and {@code mesh submit wasm --module} against a real coordinator and agent. */
class WasmCommandsTest {
    /** A WASI command that prints one line. */
    private static final String HELLO_WAT = """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "hi from the cli\\n")
              (func (export "_start")
                (i32.store (i32.const 0) (i32.const 16))
                (i32.store (i32.const 4) (i32.const 16))
                (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
            """;

    @TempDir
    Path dir;

    private Path module() throws Exception {
        Path wat = dir.resolve("hello.wat");
        Path wasm = dir.resolve("hello.wasm");
        Files.writeString(wat, HELLO_WAT);
        Process p = new ProcessBuilder("wat2wasm", wat.toString(), "-o", wasm.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(new String(p.getInputStream().readAllBytes()))
                .isZero();
        return wasm;
    }

    private static Cli cli(Coordinator c, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--coordinator";
        all[args.length + 1] = c.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = c.adminToken();
        return Cli.run(all);
    }

    @Test
    void blobPutPrintsTheCidAndSubmitWithModuleRunsIt() throws Exception {
        Path wasm = module();
        try (Coordinator coordinator = Coordinator.start(
                        CoordinatorConfig.defaults(dir.resolve("state")).withPort(0));
                Agent agent = Agent.start(AgentConfig.builder()
                        .coordinator(coordinator.url())
                        .token(coordinator.adminToken())
                        .name("wasm-cli")
                        .dataDir(dir.resolve("agent"))
                        .httpPort(-1)
                        .build())) {
            await().atMost(Duration.ofSeconds(30)).until(agent::connected);

            Cli put = cli(coordinator, "blob", "put", wasm.toString());
            assertThat(put.exitCode()).as(put.err()).isZero();
            assertThat(put.out().strip())
                    .isEqualTo(Cid.of(Files.readAllBytes(wasm)).text());

            Cli run = cli(coordinator, "submit", "wasm", "--module", wasm.toString(), "--follow");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo("hi from the cli\n");
        }
    }

    @Test
    void moduleGoesWithWasmOnlyAndAMissingFileIsNamed() throws Exception {
        try (Coordinator coordinator = Coordinator.start(
                CoordinatorConfig.defaults(dir.resolve("state")).withPort(0))) {
            Cli echo = cli(coordinator, "submit", "echo", "--module", module().toString());
            assertThat(echo.exitCode()).isEqualTo(1);
            assertThat(echo.err()).contains("--module goes with type wasm");
            Cli missing =
                    cli(coordinator, "blob", "put", dir.resolve("nope.wasm").toString());
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.err()).contains("cannot read").contains("nope.wasm");
        }
    }
}
