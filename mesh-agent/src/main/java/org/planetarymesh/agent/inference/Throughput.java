package org.planetarymesh.agent.inference;

/**
 * The agent's measured generation speed in tokens per second: a moving average over finished jobs (each new job
 * weighs 30%), 0 until one finished. Placement prefers faster nodes.
 */
final class Throughput {
    private static final double WEIGHT = 0.3;
    private double perSecond;

    /** Takes a finished job's speed; jobs that generated nothing say nothing about speed and are skipped. */
    synchronized void record(double tokensPerSecond) {
        if (tokensPerSecond <= 0 || Double.isNaN(tokensPerSecond) || Double.isInfinite(tokensPerSecond)) {
            return;
        }
        perSecond = perSecond == 0 ? tokensPerSecond : perSecond + WEIGHT * (tokensPerSecond - perSecond);
    }

    /** The current average, rounded to 0.1. */
    synchronized double perSecond() {
        return Math.round(perSecond * 10) / 10.0;
    }
}
