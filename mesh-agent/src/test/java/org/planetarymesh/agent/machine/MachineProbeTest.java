package org.planetarymesh.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.planetarymesh.agent.config.MachineOffer;
import org.planetarymesh.core.job.Resources;

/** What an agent finds on its machine, and the operator's caps on what it offers. */
class MachineProbeTest {

    @Test
    void toolsOnPathAreAdvertisedAndMissingOnesAreNot() {
        MachineOffer offer = new MachineOffer(List.of("sh", "no-such-tool-x9", "../sh"), null, null, null);

        assertThat(MachineProbe.toolCapabilities(offer)).containsExactly("tool:sh");
    }

    @Test
    void offeredResourcesAreTheDetectedOnesCappedByTheOffer() {
        Resources detected = MachineProbe.offered(MachineOffer.DEFAULT);
        assertThat(detected.cpu()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(detected.memoryMb()).isPositive();

        Resources capped = MachineProbe.offered(new MachineOffer(List.of(), 1.0, 256L, 0));
        assertThat(capped).isEqualTo(new Resources(1, Math.min(256, detected.memoryMb()), 0));

        Resources fixed = new Resources(64, 1 << 20, 8);
        assertThat(MachineProbe.offered(new MachineOffer(List.of(), null, null, null, fixed)))
                .isEqualTo(fixed);
    }

    @Test
    void gpusAreCountedFromNvidiaSmiListing() {
        String listing = "GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-1)\nGPU 1: NVIDIA A100-SXM4-40GB (UUID: GPU-2)\n";

        assertThat(MachineProbe.countGpuLines(listing)).isEqualTo(2);
        assertThat(MachineProbe.countGpuLines("No devices were found\n")).isZero();
    }
}
