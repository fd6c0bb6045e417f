package org.planetarymesh.agent.executor.wasm;

import com.dylibso.chicory.runtime.Memory;

/**
 * A module's memory that remembers whether a {@code memory.grow} was refused (the cap reached), so a trap that follows
 * reads as out of memory rather than as any trap: a program whose allocator cannot grow aborts with a trap, and the
 * job should say why. Everything else is the wrapped memory's own (Chicory's memories are final classes); the atomics keep
 * the interface's defaults, which work through the delegated reads, writes and locks.
 */
final class GrowWatch implements Memory {
    private final Memory memory;
    private volatile boolean refused;

    GrowWatch(Memory memory) {
        this.memory = memory;
    }

    /** Whether a grow was refused since the module started. */
    boolean refused() {
        return refused;
    }

    @Override
    public int pages() {
        return memory.pages();
    }

    @Override
    public int grow(int a0) {
        int before = memory.grow(a0);
        if (before < 0) {
            refused = true;
        }
        return before;
    }

    @Override
    public int initialPages() {
        return memory.initialPages();
    }

    @Override
    public int maximumPages() {
        return memory.maximumPages();
    }

    @Override
    public boolean shared() {
        return memory.shared();
    }

    @Override
    public Object lock(int a0) {
        return memory.lock(a0);
    }

    @Override
    public int waitOn(int a0, int a1, long a2) {
        return memory.waitOn(a0, a1, a2);
    }

    @Override
    public int waitOn(int a0, long a1, long a2) {
        return memory.waitOn(a0, a1, a2);
    }

    @Override
    public int notify(int a0, int a1) {
        return memory.notify(a0, a1);
    }

    @Override
    public void initialize(com.dylibso.chicory.runtime.Instance a0, com.dylibso.chicory.wasm.types.DataSegment[] a1) {
        memory.initialize(a0, a1);
    }

    @Override
    public void initialize(
            com.dylibso.chicory.runtime.Instance a0, com.dylibso.chicory.wasm.types.DataSegment[] a1, int a2) {
        memory.initialize(a0, a1, a2);
    }

    @Override
    public void initPassiveSegment(int a0, int a1, int a2, int a3) {
        memory.initPassiveSegment(a0, a1, a2, a3);
    }

    @Override
    public void writeString(int a0, String a1, java.nio.charset.Charset a2) {
        memory.writeString(a0, a1, a2);
    }

    @Override
    public void writeString(int a0, String a1) {
        memory.writeString(a0, a1);
    }

    @Override
    public String readString(int a0, int a1) {
        return memory.readString(a0, a1);
    }

    @Override
    public String readString(int a0, int a1, java.nio.charset.Charset a2) {
        return memory.readString(a0, a1, a2);
    }

    @Override
    public void writeCString(int a0, String a1) {
        memory.writeCString(a0, a1);
    }

    @Override
    public void writeCString(int a0, String a1, java.nio.charset.Charset a2) {
        memory.writeCString(a0, a1, a2);
    }

    @Override
    public String readCString(int a0, java.nio.charset.Charset a1) {
        return memory.readCString(a0, a1);
    }

    @Override
    public String readCString(int a0) {
        return memory.readCString(a0);
    }

    @Override
    public void write(int a0, byte[] a1) {
        memory.write(a0, a1);
    }

    @Override
    public void write(int a0, byte[] a1, int a2, int a3) {
        memory.write(a0, a1, a2, a3);
    }

    @Override
    public byte read(int a0) {
        return memory.read(a0);
    }

    @Override
    public byte[] readBytes(int a0, int a1) {
        return memory.readBytes(a0, a1);
    }

    @Override
    public void writeI32(int a0, int a1) {
        memory.writeI32(a0, a1);
    }

    @Override
    public int readInt(int a0) {
        return memory.readInt(a0);
    }

    @Override
    public long readI32(int a0) {
        return memory.readI32(a0);
    }

    @Override
    public long readU32(int a0) {
        return memory.readU32(a0);
    }

    @Override
    public void writeLong(int a0, long a1) {
        memory.writeLong(a0, a1);
    }

    @Override
    public long readLong(int a0) {
        return memory.readLong(a0);
    }

    @Override
    public long readI64(int a0) {
        return memory.readI64(a0);
    }

    @Override
    public void writeShort(int a0, short a1) {
        memory.writeShort(a0, a1);
    }

    @Override
    public short readShort(int a0) {
        return memory.readShort(a0);
    }

    @Override
    public long readI16(int a0) {
        return memory.readI16(a0);
    }

    @Override
    public long readU16(int a0) {
        return memory.readU16(a0);
    }

    @Override
    public void writeByte(int a0, byte a1) {
        memory.writeByte(a0, a1);
    }

    @Override
    public long readU8(int a0) {
        return memory.readU8(a0);
    }

    @Override
    public long readI8(int a0) {
        return memory.readI8(a0);
    }

    @Override
    public void writeF32(int a0, float a1) {
        memory.writeF32(a0, a1);
    }

    @Override
    public long readF32(int a0) {
        return memory.readF32(a0);
    }

    @Override
    public float readFloat(int a0) {
        return memory.readFloat(a0);
    }

    @Override
    public void writeF64(int a0, double a1) {
        memory.writeF64(a0, a1);
    }

    @Override
    public double readDouble(int a0) {
        return memory.readDouble(a0);
    }

    @Override
    public long readF64(int a0) {
        return memory.readF64(a0);
    }

    @Override
    public void zero() {
        memory.zero();
    }

    @Override
    public void fill(byte a0, int a1, int a2) {
        memory.fill(a0, a1, a2);
    }

    @Override
    public void copy(int a0, int a1, int a2) {
        memory.copy(a0, a1, a2);
    }

    @Override
    public void drop(int a0) {
        memory.drop(a0);
    }
}
