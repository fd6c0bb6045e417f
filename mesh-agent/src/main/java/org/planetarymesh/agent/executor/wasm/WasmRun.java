package org.planetarymesh.agent.executor.wasm;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.UninstantiableException;
import com.dylibso.chicory.wasm.UnlinkableException;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.executor.ErrorCode;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutorException;

/**
 * One run of a module: instantiate it with capped memory, no file system and no network (WASI gets only stdin,
 * stdout, stderr, args and env), call the function or {@code _start}, and turn every way it can end into a result or a
 * distinct error code.
 */
final class WasmRun {
    private final WasmJob job;
    private final LoadedModules.Loaded loaded;
    private final int maxPages;
    private final ExecutionContext context;
    private GrowWatch watched;

    WasmRun(WasmJob job, LoadedModules.Loaded loaded, int maxPages, ExecutionContext context) {
        this.job = job;
        this.loaded = loaded;
        this.maxPages = maxPages;
        this.context = context;
    }

    ObjectNode run() throws ExecutorException {
        ChunkStream stdout = new ChunkStream(context, "stdout");
        ChunkStream stderr = new ChunkStream(context, "stderr");
        Fuel fuel = job.fuel() > 0 ? new Fuel(job.fuel()) : null;
        ObjectNode result = Json.mapper().createObjectNode();
        result.put("module", job.cid().text());
        result.put("mode", job.interpreted() ? "interpreted" : "compiled");
        Instance instance = null;
        // A module that imports nothing (a pure function) needs no WASI; building it costs a tenth of a tiny job.
        boolean needsWasi = loaded.module.importSection().importCount() > 0;
        try (WasiPreview1 wasi = needsWasi ? wasi(stdout, stderr) : null) {
            instance = instantiate(wasi, fuel);
            if (job.function() != null) {
                result.set("results", call(instance));
            } else {
                result.put("exit_code", start(instance));
            }
        } catch (ExecutorException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw classify(e, instance);
        }
        result.put("stdout_bytes", stdout.bytes());
        result.put("stderr_bytes", stderr.bytes());
        if (fuel != null) {
            result.put("fuel_used", fuel.used());
        }
        return result;
    }

    /** WASI preview 1 with the job's stdin, args and env, and stdout and stderr as chunks; no directory, no socket. */
    private WasiPreview1 wasi(ChunkStream stdout, ChunkStream stderr) {
        List<String> argv = new ArrayList<>();
        argv.add(job.cid().text());
        argv.addAll(job.args());
        WasiOptions.Builder options = WasiOptions.builder()
                .withStdout(stdout, false)
                .withStderr(stderr, false)
                .withStdin(new ByteArrayInputStream(job.stdin()), false)
                .withArguments(argv)
                .withClock(Clock.systemUTC());
        job.env().forEach(options::withEnvironment);
        return WasiPreview1.builder().withOptions(options.build()).build();
    }

    private Instance instantiate(WasiPreview1 wasi, Fuel fuel) throws ExecutorException {
        var imports = ImportValues.builder();
        if (wasi != null) {
            imports.addFunction(wasi.toHostFunctions());
        }
        var builder = Instance.builder(loaded.module)
                .withImportValues(imports.build())
                .withStart(false); // a WASI command is started below, once
        var memory = loaded.module.memorySection();
        if (memory.isPresent() && memory.get().memoryCount() > 0) {
            MemoryLimits declared = memory.get().getMemory(0).limits();
            if (declared.initialPages() > maxPages) {
                throw new ExecutorException(
                        ErrorCode.WASM_OUT_OF_MEMORY,
                        "the module starts with " + declared.initialPages() + " pages of memory; the cap is " + maxPages
                                + " (64 KiB pages; 'max_memory_pages', up to the agent's setting)");
            }
            builder.withMemoryLimits(
                            new MemoryLimits(declared.initialPages(), Math.min(declared.maximumPages(), maxPages)))
                    .withMemoryFactory(limits -> watched = new GrowWatch(new ByteArrayMemory(limits)));
        }
        if (fuel != null) {
            builder.withUnsafeExecutionListener((instruction, stack) -> fuel.burn());
        } else if (!job.interpreted()) {
            builder.withMachineFactory(loaded.compiled());
        }
        try {
            return builder.build();
        } catch (UnlinkableException | UninstantiableException e) {
            throw new ExecutorException(
                    ErrorCode.WASM_MALFORMED,
                    "module " + job.cid() + " cannot be instantiated here (only WASI preview 1 imports are offered): "
                            + e.getMessage());
        }
    }

    private JsonNode call(Instance instance) throws ExecutorException {
        FunctionType type;
        ExportFunction function;
        try {
            type = instance.exportType(job.function());
            function = instance.export(job.function());
        } catch (ChicoryException e) {
            throw ExecutorException.invalidPayload(
                    "wasm: the module exports no function '" + job.function() + "' (" + e.getMessage() + ")");
        }
        if (type.params().size() != job.params().size()) {
            throw ExecutorException.invalidPayload(
                    "wasm: '" + job.function() + "' takes " + type.params().size() + " params " + type.params()
                            + "; got " + job.params().size());
        }
        long[] args = new long[job.params().size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = encode(type.params().get(i), job.params().get(i));
        }
        long[] raw = function.apply(args);
        ArrayNode results = Json.mapper().createArrayNode();
        for (int i = 0; i < type.returns().size(); i++) {
            decode(type.returns().get(i), raw[i], results);
        }
        return results;
    }

    private int start(Instance instance) throws ExecutorException {
        ExportFunction start;
        try {
            start = instance.export("_start");
        } catch (ChicoryException e) {
            throw ExecutorException.invalidPayload("wasm: the module exports no '_start' (not a WASI command);"
                    + " name an exported function with 'function'");
        }
        try {
            start.apply();
            return 0;
        } catch (WasiExitException e) {
            return e.exitCode();
        }
    }

    private static long encode(ValType type, JsonNode n) throws ExecutorException {
        if (type.equals(ValType.I32)) {
            return n.asInt();
        } else if (type.equals(ValType.I64)) {
            return n.asLong();
        } else if (type.equals(ValType.F32)) {
            return Float.floatToRawIntBits((float) n.asDouble());
        } else if (type.equals(ValType.F64)) {
            return Double.doubleToRawLongBits(n.asDouble());
        }
        throw ExecutorException.invalidPayload("wasm: a param of type " + type + " cannot be given from JSON");
    }

    private static void decode(ValType type, long v, ArrayNode out) {
        if (type.equals(ValType.I32)) {
            out.add((int) v);
        } else if (type.equals(ValType.I64)) {
            out.add(v);
        } else if (type.equals(ValType.F32)) {
            out.add(Float.intBitsToFloat((int) v));
        } else if (type.equals(ValType.F64)) {
            out.add(Double.longBitsToDouble(v));
        } else {
            out.add(v);
        }
    }

    /** The error code of a run that ended by an exception. */
    private ExecutorException classify(Throwable e, Instance instance) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Fuel.Exhausted) {
                return new ExecutorException(
                        ErrorCode.WASM_OUT_OF_FUEL, "the module used its budget of " + job.fuel() + " instructions");
            }
            if (t instanceof ChunkStream.EmitRefused refused) {
                return refused.refusal;
            }
            if (t instanceof ChicoryInterruptedException || t instanceof InterruptedException) {
                return new ExecutorException(ErrorCode.CANCELLED, "the module was stopped");
            }
        }
        if (e instanceof StackOverflowError) {
            return new ExecutorException(ErrorCode.WASM_TRAP, "the module trapped: call stack exhausted");
        }
        if (watched != null && watched.refused()) {
            return new ExecutorException(
                    ErrorCode.WASM_OUT_OF_MEMORY,
                    "the module failed with its memory at the cap of " + maxPages + " pages (" + (maxPages * 64L)
                            + " KiB): " + e.getMessage());
        }
        return new ExecutorException(ErrorCode.WASM_TRAP, "the module trapped: " + e.getMessage());
    }

    /** An instruction budget, spent by the interpreter's per-instruction listener. */
    static final class Fuel {
        private final long budget;
        private long used;

        Fuel(long budget) {
            this.budget = budget;
        }

        void burn() {
            if (++used > budget) {
                throw new Exhausted();
            }
        }

        long used() {
            return Math.min(used, budget);
        }

        /** Thrown from inside the interpreter when the budget is spent. */
        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super("out of fuel", null, false, false);
            }
        }
    }
}
