package org.planetarymesh.agent.executor.wasm;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.planetarymesh.core.blob.Cid;
import org.planetarymesh.executor.ErrorCode;
import org.planetarymesh.executor.ExecutorException;

/**
 * Parsed modules and their compiled machines, by CID, least recently used first out. Compiling a module to JVM
 * bytecode costs milliseconds to seconds; a CID names exactly one module, so what was compiled for one job serves
 * every later job naming it.
 */
final class LoadedModules {

    /** A parsed module and, once a compiled run asked for it, its compiled machine factory. */
    static final class Loaded {
        final WasmModule module;
        private Function<Instance, Machine> compiled;

        Loaded(WasmModule module) {
            this.module = module;
        }

        synchronized Function<Instance, Machine> compiled() {
            if (compiled == null) {
                compiled = MachineFactoryCompiler.compile(module);
            }
            return compiled;
        }
    }

    private final int capacity;
    private final Map<Cid, Loaded> byCid;

    LoadedModules(int capacity) {
        this.capacity = capacity;
        this.byCid = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** The module {@code bytes} (whose CID is {@code cid}), parsed once. */
    Loaded load(Cid cid, BytesSource bytes) throws ExecutorException, InterruptedException {
        synchronized (byCid) {
            Loaded cached = byCid.get(cid);
            if (cached != null) {
                return cached;
            }
        }
        Loaded loaded;
        try {
            loaded = new Loaded(Parser.parse(bytes.get()));
        } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ExecutorException(
                    ErrorCode.WASM_MALFORMED, "module " + cid + " is not valid WebAssembly: " + e.getMessage());
        }
        synchronized (byCid) {
            byCid.putIfAbsent(cid, loaded);
            while (byCid.size() > capacity) {
                byCid.remove(byCid.keySet().iterator().next());
            }
            return byCid.get(cid);
        }
    }

    /** Whether {@code cid} is loaded (for tests and the bench). */
    boolean contains(Cid cid) {
        synchronized (byCid) {
            return byCid.containsKey(cid);
        }
    }

    /** Where a module's bytes come from when it is not loaded yet. */
    @FunctionalInterface
    interface BytesSource {
        byte[] get() throws ExecutorException, InterruptedException;
    }
}
