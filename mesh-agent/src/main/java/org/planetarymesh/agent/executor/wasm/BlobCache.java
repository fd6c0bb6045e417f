package org.planetarymesh.agent.executor.wasm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.planetarymesh.core.blob.Cid;
import org.planetarymesh.executor.ErrorCode;
import org.planetarymesh.executor.ExecutorException;

/**
 * The agent's copy of the coordinator's blobs, one file per CID under {@code <data_dir>/blobs/}. A blob it lacks is
 * fetched once ({@code GET /v1/blobs/{cid}} with the agent's token; jobs asking for it meanwhile wait on the same
 * fetch), its hash checked against the CID, and written atomically; afterwards it is read from disk.
 */
public final class BlobCache {
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final String coordinator;
    private final String token;
    private final HttpClient http;
    private final ConcurrentHashMap<Cid, CompletableFuture<byte[]>> fetching = new ConcurrentHashMap<>();
    private final AtomicLong fetches = new AtomicLong();

    /** A cache in {@code dir} fetching from {@code coordinator} (its http(s) base URL; null: no fetching). */
    public BlobCache(Path dir, String coordinator, String token, HttpClient http) {
        this.dir = dir;
        this.coordinator = coordinator;
        this.token = token;
        this.http = http;
    }

    /** How many blobs were fetched from the coordinator since start (a cached blob is never fetched again). */
    public long fetches() {
        return fetches.get();
    }

    /** A blob's bytes, and whether this call fetched them from the coordinator (false: read from disk). */
    record Got(byte[] bytes, boolean fetched) {}

    /** The bytes of {@code cid}: from disk, else fetched once from the coordinator. */
    Got get(Cid cid) throws ExecutorException, InterruptedException {
        Path file = dir.resolve(cid.text());
        if (Files.isRegularFile(file)) {
            try {
                return new Got(Files.readAllBytes(file), false);
            } catch (IOException e) {
                throw new ExecutorException(ErrorCode.INTERNAL, "cannot read cached blob " + file + ": " + e);
            }
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> running = fetching.putIfAbsent(cid, mine);
        if (running == null) {
            try {
                mine.complete(fetchAndStore(cid, file));
            } catch (ExecutorException | RuntimeException e) {
                mine.completeExceptionally(e);
            } finally {
                fetching.remove(cid, mine);
            }
            running = mine;
        }
        try {
            return new Got(running.get(), running == mine);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ExecutorException ex) {
                throw ex;
            }
            throw new ExecutorException(ErrorCode.INTERNAL, "fetching blob " + cid + " failed: " + e.getCause());
        }
    }

    private byte[] fetchAndStore(Cid cid, Path file) throws ExecutorException {
        if (coordinator == null) {
            throw ExecutorException.unsupported("module " + cid + " is not cached here and this agent has no"
                    + " coordinator to fetch it from; send it inline ('module_base64')");
        }
        HttpResponse<byte[]> answer;
        try {
            fetches.incrementAndGet();
            answer = http.send(
                    HttpRequest.newBuilder(URI.create(coordinator + "/v1/blobs/" + cid.text()))
                            .header("Authorization", "Bearer " + token)
                            .timeout(FETCH_TIMEOUT)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ExecutorException(ErrorCode.BACKEND_UNREACHABLE, "cannot fetch module " + cid + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecutorException(ErrorCode.CANCELLED, "stopped while fetching module " + cid);
        }
        if (answer.statusCode() == 404) {
            throw ExecutorException.invalidPayload(
                    "wasm: module " + cid + " is not in the coordinator's blob store; 'mesh blob put FILE' first");
        }
        if (answer.statusCode() != 200) {
            throw new ExecutorException(
                    ErrorCode.BACKEND_UNREACHABLE, "fetching module " + cid + " answered HTTP " + answer.statusCode());
        }
        byte[] bytes = answer.body();
        if (!cid.matches(bytes)) {
            throw new ExecutorException(
                    ErrorCode.INTERNAL, "the coordinator served bytes for " + cid + " that hash to " + Cid.of(bytes));
        }
        store(file, bytes);
        return bytes;
    }

    private void store(Path file, byte[] bytes) {
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".incoming-", ".tmp");
            try {
                Files.write(temp, bytes);
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache blob in " + dir, e);
        }
    }
}
