package org.planetarymesh.agent.machine;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.agent.config.MachineOffer;
import org.planetarymesh.core.job.Resources;

/**
 * What this machine has, found once at start: cores, total memory, NVIDIA GPUs (counted by {@code nvidia-smi -L}
 * when that tool is on PATH), and which of the named tools are on PATH. The operator's caps ({@link MachineOffer})
 * bound what is offered, so an agent can share a machine without offering all of it.
 */
public final class MachineProbe {

    /** The capability prefix of a tool found on PATH: {@code tool:ffmpeg}. */
    public static final String TOOL_PREFIX = "tool:";

    private static final long GPU_PROBE_SECONDS = 5;

    private MachineProbe() {}

    /** The resources offered: the detected ones, each capped by the offer. */
    public static Resources offered(MachineOffer offer) {
        if (offer.fixed() != null) {
            return offer.fixed();
        }
        double cpus = Runtime.getRuntime().availableProcessors();
        long memoryMb = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memoryMb = os.getTotalMemorySize() / (1024 * 1024);
        }
        int gpus = offer.gpus() != null && offer.gpus() == 0 ? 0 : nvidiaGpus();
        return new Resources(
                offer.cpus() == null ? cpus : Math.min(cpus, offer.cpus()),
                offer.memoryMb() == null ? memoryMb : Math.min(memoryMb, offer.memoryMb()),
                offer.gpus() == null ? gpus : Math.min(gpus, offer.gpus()));
    }

    /** The capabilities of the offer's tools found on PATH, {@code tool:NAME} each. */
    public static List<String> toolCapabilities(MachineOffer offer) {
        List<String> found = new ArrayList<>();
        for (String tool : offer.tools()) {
            if (onPath(tool) != null) {
                found.add(TOOL_PREFIX + tool);
            }
        }
        return found;
    }

    /** The executable file {@code name} resolves to on PATH, or null. */
    static Path onPath(String name) {
        if (name.isBlank() || name.contains("/")) {
            return null;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** GPUs {@code nvidia-smi -L} lists (one "GPU n: ..." line each), or 0 without the tool or when it fails. */
    static int nvidiaGpus() {
        Path smi = onPath("nvidia-smi");
        if (smi == null) {
            return 0;
        }
        try {
            Process p = new ProcessBuilder(smi.toString(), "-L")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(GPU_PROBE_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return 0;
            }
            return countGpuLines(out);
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    static int countGpuLines(String listing) {
        return (int) listing.lines().filter(l -> l.startsWith("GPU ")).count();
    }
}
