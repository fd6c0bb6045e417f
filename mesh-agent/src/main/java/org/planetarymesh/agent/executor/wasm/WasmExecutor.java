package org.planetarymesh.agent.executor.wasm;

import com.fasterxml.jackson.databind.JsonNode;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutionRequest;
import org.planetarymesh.executor.ExecutionResult;
import org.planetarymesh.executor.Executor;
import org.planetarymesh.executor.ExecutorConfig;
import org.planetarymesh.executor.ExecutorException;

/**
 * {@code wasm}: runs a WebAssembly module on Chicory (pure Java) in a sandbox: no file system, no network, memory
 * capped, stopped by the job's deadline or a cancel through a thread interrupt. The module comes by CID (fetched once
 * from the coordinator's blob store and cached) or inline; it runs compiled to JVM bytecode (cached by CID), or in the
 * interpreter when the job gives a fuel budget. docs/EXECUTORS.md, "wasm".
 */
public final class WasmExecutor implements Executor {
    /** Default memory cap: 256 pages of 64 KiB, 16 MiB. */
    public static final int DEFAULT_MAX_MEMORY_PAGES = 256;

    private final BlobCache blobs;
    private int maxPages = DEFAULT_MAX_MEMORY_PAGES;
    private LoadedModules modules = new LoadedModules(64);

    /** An executor that fetches the modules it lacks through {@code blobs}. */
    public WasmExecutor(BlobCache blobs) {
        this.blobs = blobs;
    }

    @Override
    public String name() {
        return "wasm";
    }

    @Override
    public void configure(ExecutorConfig config) {
        config.allowOnly("max_memory_pages", "module_cache");
        long pages = config.number("max_memory_pages", DEFAULT_MAX_MEMORY_PAGES);
        if (pages < 1 || pages > 65_536) {
            throw config.invalid("max_memory_pages", "must be 1..65536 pages of 64 KiB; got " + pages);
        }
        long cache = config.number("module_cache", 64);
        if (cache < 1 || cache > 10_000) {
            throw config.invalid("module_cache", "must be 1..10000 modules; got " + cache);
        }
        maxPages = (int) pages;
        modules = new LoadedModules((int) cache);
    }

    @Override
    public void check(JsonNode payload) throws ExecutorException {
        WasmJob job = WasmJob.parse(payload);
        if (job.maxPages() > maxPages) {
            throw ExecutorException.unsupported("wasm: the job asks for " + job.maxPages()
                    + " pages of memory; this agent allows at most " + maxPages
                    + " (executor setting wasm.max_memory_pages)");
        }
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, ExecutionContext context) throws Exception {
        WasmJob job = WasmJob.parse(request.payload()); // check() refused a job asking for more than maxPages
        int pages = job.maxPages() > 0 ? Math.min(job.maxPages(), maxPages) : maxPages;
        // Where the module came from this time: "memory" (loaded before), "inline", "disk" or "fetched".
        String[] source = {"memory"};
        LoadedModules.Loaded loaded = modules.load(job.cid(), () -> {
            if (job.inline() != null) {
                source[0] = "inline";
                return job.inline();
            }
            BlobCache.Got got = blobs.get(job.cid());
            source[0] = got.fetched() ? "fetched" : "disk";
            return got.bytes();
        });
        var result = new WasmRun(job, loaded, pages, context).run();
        result.put("module_source", source[0]);
        return ExecutionResult.of(result);
    }

    /** The agent's blob cache (tests and the bench read its fetch count). */
    public BlobCache blobs() {
        return blobs;
    }
}
