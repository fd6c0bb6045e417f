package org.planetarymesh.cli;

import java.util.Locale;
import org.planetarymesh.client.Chunks;
import org.planetarymesh.client.JobEventStream;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.MeshUnavailableException;
import org.planetarymesh.core.job.JobEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mesh logs [-f] ID}: a job's streamed output so far, or live until it ends with {@code -f}. The output goes to
 * stdout (and the job's stderr to stderr) byte for byte; the job's life — status changes, progress, the end — goes to
 * stderr as one short line each, so a job without output (echo, sleep) still shows what happened, and
 * {@code mesh logs ID > out.txt} keeps only the output.
 */
@Command(
        name = "logs",
        description = "Print a job's output (status and progress lines on stderr); with -f, follow it live until the"
                + " job ends.")
public final class LogsCommand extends ClientCommand {

    /** Re-opens of a broken live stream before giving up; each resumes after the last event printed. */
    private static final int MAX_REOPENS = 3;

    @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
    String id;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing output as it arrives, until the job ends.")
    boolean follow;

    @Mixin
    OutputOption output;

    @Override
    protected int run(MeshClient client) {
        ChunkWriter stdout = new ChunkWriter(out());
        ChunkWriter stderr = new ChunkWriter(err());
        long lastSeq = 0;
        try {
            for (int opened = 0; ; opened++) {
                try (JobEventStream events = follow ? client.events(id, lastSeq) : client.recordedEvents(id)) {
                    while (events.hasNext()) {
                        JobEvent event = events.next();
                        lastSeq = event.seq();
                        print(event, stdout, stderr);
                    }
                    return 0;
                } catch (MeshUnavailableException e) {
                    // Without -f a stream that stops early has shown everything recorded; with -f, resume it.
                    if (!follow && "stream_ended".equals(e.code())) {
                        return 0;
                    }
                    if (!follow || opened + 1 >= MAX_REOPENS) {
                        throw e;
                    }
                }
            }
        } finally {
            stdout.finish();
            stderr.finish();
        }
    }

    private void print(JobEvent event, ChunkWriter stdout, ChunkWriter stderr) {
        if (output.json()) {
            printJson(event);
        } else if (event.kind() == JobEvent.Kind.CHUNK) {
            ("stderr".equals(event.stream()) ? stderr : stdout).write(Chunks.bytes(event));
        } else {
            String line = describe(event);
            if (line != null) {
                stderr.finish();
                err().println(line);
                err().flush();
            }
        }
    }

    /** The one-line account of a status, progress or end event; null for anything else. */
    static String describe(JobEvent event) {
        return switch (event.kind()) {
            case STATUS ->
                event.status() == null
                        ? null
                        : "status    " + event.status()
                                + (event.attempt() > 0 ? " (attempt " + event.attempt() + ")" : "");
            case PROGRESS ->
                event.progress() == null
                        ? null
                        : String.format(Locale.ROOT, "progress  %3d%%", Math.round(event.progress() * 100))
                                + (event.log() == null || event.log().isBlank()
                                        ? ""
                                        : "  " + event.log().strip());
            case END ->
                "end       " + event.status()
                        + (event.error() == null
                                ? ""
                                : ": " + event.error().message() + " ("
                                        + event.error().code() + ")");
            case CHUNK -> null;
        };
    }
}
