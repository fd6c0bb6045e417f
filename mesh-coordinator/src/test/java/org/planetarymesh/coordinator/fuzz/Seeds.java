package org.planetarymesh.coordinator.fuzz;

import java.util.SplittableRandom;

/**
 * The seed of a fuzz run: {@code -Dmesh.fuzz.seed=N} replays a run, otherwise a fresh one is drawn. Each test prints
 * its seed, and every failure message repeats it with the input that failed.
 */
final class Seeds {

    private Seeds() {}

    static long seed(String test) {
        String fixed = System.getProperty("mesh.fuzz.seed");
        long seed =
                fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.strip()) : new SplittableRandom().nextLong();
        System.out.println("[fuzz] " + test + " seed=" + seed + " (replay with -Dmesh.fuzz.seed=" + seed + ")");
        return seed;
    }

    static Gen gen(long seed) {
        return new Gen(new SplittableRandom(seed));
    }
}
