package org.planetarymesh.executor;

/**
 * Tokens an execution consumed and produced, for executors that run a model; recorded with the job and in its
 * {@code job_done}/{@code job_error} report.
 *
 * @param tokensIn tokens read (the prompt)
 * @param tokensOut tokens written (the completion)
 */
public record Usage(long tokensIn, long tokensOut) {
    /** No tokens: what every attempt reports until its executor says otherwise. */
    public static final Usage NONE = new Usage(0, 0);

    public Usage {
        if (tokensIn < 0 || tokensOut < 0) {
            throw new IllegalArgumentException("token counts must be 0 or more, got " + tokensIn + "/" + tokensOut);
        }
    }
}
