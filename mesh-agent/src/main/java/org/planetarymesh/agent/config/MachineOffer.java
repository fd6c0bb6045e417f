package org.planetarymesh.agent.config;

import java.util.List;
import org.planetarymesh.core.job.Resources;

/**
 * What of its machine an agent offers the mesh: named tools to look for on PATH (each found one is advertised as the
 * capability {@code tool:NAME}), and caps on the detected cores, memory and GPUs (null: offer what was detected).
 *
 * @param tools program names to look for on PATH, e.g. {@code ffmpeg}, {@code python3}
 * @param cpus at most this many cores offered; null = the detected count
 * @param memoryMb at most this much memory offered; null = the detected total
 * @param gpus at most this many GPUs offered; null = the detected count
 * @param fixed resources offered as they are, instead of this machine's (a peer link offers its mesh's); null = none
 */
public record MachineOffer(List<String> tools, Double cpus, Long memoryMb, Integer gpus, Resources fixed) {

    /**
     * The tools looked for when none are configured: none, so a node advertises the tools its operator set it up to
     * offer, not whatever happens to be installed (which would also make every node's listing differ by machine).
     */
    public static final List<String> DEFAULT_TOOLS = List.of();

    /** Detected resources, the default tool list. */
    public static final MachineOffer DEFAULT = new MachineOffer(DEFAULT_TOOLS, null, null, null, null);

    /** The machine's resources, capped, with these tools looked for. */
    public MachineOffer(List<String> tools, Double cpus, Long memoryMb, Integer gpus) {
        this(tools, cpus, memoryMb, gpus, null);
    }

    public MachineOffer {
        tools = tools == null ? DEFAULT_TOOLS : List.copyOf(tools);
    }
}
