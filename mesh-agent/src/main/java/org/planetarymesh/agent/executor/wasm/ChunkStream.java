package org.planetarymesh.agent.executor.wasm;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutorException;

/**
 * A WASI output descriptor that hands each write to the job's output as one chunk of {@code stream}, in order (all
 * writes come from the module's one thread). A refused emit (backpressure, stop) ends the module's run.
 */
final class ChunkStream extends OutputStream {
    private final ExecutionContext context;
    private final String stream;
    private long bytes;

    ChunkStream(ExecutionContext context, String stream) {
        this.context = context;
        this.stream = stream;
    }

    long bytes() {
        return bytes;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        try {
            context.emit(stream, Arrays.copyOfRange(data, off, off + len));
            bytes += len;
        } catch (ExecutorException e) {
            throw new EmitRefused(e);
        }
    }

    /** An emit the runner refused; carries its code out through the module's frames. */
    static final class EmitRefused extends IOException {
        final ExecutorException refusal;

        EmitRefused(ExecutorException refusal) {
            super(refusal.getMessage(), refusal);
            this.refusal = refusal;
        }
    }
}
