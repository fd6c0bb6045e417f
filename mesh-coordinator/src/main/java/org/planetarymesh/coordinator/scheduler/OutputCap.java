package org.planetarymesh.coordinator.scheduler;

import org.planetarymesh.core.job.Job;

/**
 * The output kept of one attempt: its chunks up to {@code capBytes} of UTF-8 in all; the rest is dropped, and the
 * attempt says so ({@code output_truncated}, {@code output_cap_bytes}), so one chatty job cannot fill the store.
 * The bytes each running attempt has used are a per-job fact of the {@link JobTable}, forgotten when the job ends.
 */
final class OutputCap {

    /** What to keep of a chunk: {@code kept} (possibly empty), and whether this chunk is the one that hit the cap. */
    record Admitted(String kept, boolean cutNow) {}

    private static final Admitted DROPPED = new Admitted("", false);

    /** The output bytes one attempt has used. */
    static final class Used {
        final int attempt;
        long bytes;

        Used(int attempt) {
            this.attempt = attempt;
        }
    }

    private final long capBytes;
    private final JobTable jobs;

    OutputCap(long capBytes, JobTable jobs) {
        this.capBytes = capBytes;
        this.jobs = jobs;
    }

    long capBytes() {
        return capBytes;
    }

    /** The part of {@code data}, a chunk of {@code job}'s current attempt, that fits under the cap. */
    Admitted admit(Job job, String data) {
        if (capBytes <= 0) {
            return new Admitted(data, false);
        }
        Used used = jobs.outputUsed(job.id(), job.attempt());
        if (used.bytes >= capBytes) {
            return DROPPED;
        }
        int end = prefixWithin(data, capBytes - used.bytes);
        if (end == data.length()) {
            used.bytes += utf8Length(data, end);
            return new Admitted(data, false);
        }
        used.bytes = capBytes;
        return new Admitted(data.substring(0, end), true);
    }

    /** The longest prefix of {@code s}, in chars, whose UTF-8 form fits in {@code bytes}; pairs are never split. */
    static int prefixWithin(String s, long bytes) {
        long total = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int width = c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isHighSurrogate(c) ? 4 : 3;
            int chars = width == 4 ? 2 : 1;
            if (total + width > bytes) {
                break;
            }
            total += width;
            i += chars;
        }
        return Math.min(i, s.length());
    }

    private static long utf8Length(String s, int end) {
        long total = 0;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                total += 1;
            } else if (c < 0x800) {
                total += 2;
            } else if (Character.isHighSurrogate(c)) {
                total += 4;
                i++;
            } else {
                total += 3;
            }
        }
        return total;
    }
}
