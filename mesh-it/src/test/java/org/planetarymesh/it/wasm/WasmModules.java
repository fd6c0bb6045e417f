package org.planetarymesh.it.wasm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The test modules: {@code src/test/wasm/NAME.wat} (the kernel: mesh-bench's, which {@code mesh bench wasm} runs) compiled by Debian's {@code wat2wasm} (wabt, installed by
 * {@code .ci/run}) into {@code target/wasm/NAME.wasm}, so no binary is kept without its source.
 */
public final class WasmModules {
    private static final Path SOURCES = Path.of("src", "test", "wasm");
    private static final Path OUT = Path.of("target", "wasm");
    private static final Path KERNEL =
            Path.of("..", "mesh-bench", "src", "main", "resources", "org", "planetarymesh", "bench", "kernel.wat");

    private WasmModules() {}

    /** The compiled bytes of {@code name}.wat. */
    public static synchronized byte[] bytes(String name) {
        Path wasm = OUT.resolve(name + ".wasm");
        try {
            Files.createDirectories(OUT);
            Path source = name.equals("kernel") ? KERNEL : SOURCES.resolve(name + ".wat");
            Process p = new ProcessBuilder("wat2wasm", source.toString(), "-o", wasm.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("wat2wasm " + name + ".wat failed: " + out
                        + " (is Debian's wabt installed? .ci/run installs it)");
            }
            return Files.readAllBytes(wasm);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run wat2wasm (apt-get install wabt)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
