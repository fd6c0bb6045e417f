package org.planetarymesh.core.protocol;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Gathers encoded messages, in order, into one frame that stays within a UTF-8 size limit, envelope included: how both
 * the coordinator's links and the agent's sender build {@code batch} frames.
 */
public final class FramePacker {

    /** One frame to send, and how many of the waiting messages it accounts for (sent, or left out on purpose). */
    public record Packed(String frame, int consumed) {}

    /**
     * Packs the oldest of {@code waiting} into one frame, encoding each as it goes (what does not fit stays queued, at
     * the cost of one wasted encoding per turn). A {@code job_accepted} whose attempt's result ({@code job_done} or
     * {@code job_error}) is also waiting is left out: the coordinator takes a result as proof the attempt started, so
     * a short job costs one message instead of two.
     */
    public static Packed pack(List<Message> waiting, Function<Message, String> encode, int maxBytes) {
        return pack(waiting, encode, maxBytes, null);
    }

    /** Room kept at the end of a frame for a trailer ({@code receipt_batch} is about 130 bytes). */
    public static final int TRAILER_RESERVE = 512;

    /**
     * As {@link #pack(List, Function, int)}, then ends the frame with {@code trailer}'s message for the messages the
     * frame takes (none if it answers null): an agent's {@code receipt_batch} signs exactly the results of its frame.
     * The messages are packed within {@code maxBytes} less {@link #TRAILER_RESERVE}, so the trailer always fits.
     */
    public static Packed pack(
            List<Message> waiting,
            Function<Message, String> encode,
            int maxBytes,
            Function<List<Message>, Message> trailer) {
        Set<Message.RunningJob> finished = new HashSet<>();
        for (Message message : waiting) {
            switch (message) {
                case Message.JobDone d -> finished.add(new Message.RunningJob(d.jobId(), d.attempt()));
                case Message.JobError e -> finished.add(new Message.RunningJob(e.jobId(), e.attempt()));
                default -> {}
            }
        }
        FramePacker packer = new FramePacker(trailer == null ? maxBytes : maxBytes - TRAILER_RESERVE);
        int consumed = 0;
        for (Message message : waiting) {
            boolean acceptOfFinished = message instanceof Message.JobAccepted a
                    && finished.contains(new Message.RunningJob(a.jobId(), a.attempt()));
            if (!acceptOfFinished && !packer.add(encode.apply(message))) {
                break;
            }
            consumed++;
        }
        Message last = trailer == null ? null : trailer.apply(waiting.subList(0, consumed));
        if (last != null) {
            packer.messages.add(encode.apply(last));
        }
        return new Packed(packer.frame(), consumed);
    }

    private final int maxBytes;
    private final List<String> messages = new ArrayList<>();
    private long chars;
    // Exact UTF-8 size of the messages so far, or -1 while the cheap bound (at most 3 bytes per char) says it cannot
    // matter: most frames are small, and measuring every message would cost a pass over each.
    private long bytes = -1;

    public FramePacker(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Adds {@code encoded} if the frame still fits with it; {@code false} (and nothing added) otherwise. The first
     * message is always taken, so one too big on its own still goes alone, as it did before batching.
     */
    public boolean add(String encoded) {
        long overhead = MessageCodec.batchOverhead(messages.size() + 1);
        if (bytes < 0 && (chars + encoded.length()) * 3 + overhead > maxBytes) {
            bytes = 0;
            for (String m : messages) {
                bytes += MessageCodec.utf8Length(m);
            }
        }
        long size = bytes < 0 ? 0 : MessageCodec.utf8Length(encoded);
        if (bytes >= 0 && bytes + size + overhead > maxBytes && !messages.isEmpty()) {
            return false;
        }
        messages.add(encoded);
        chars += encoded.length();
        if (bytes >= 0) {
            bytes += size;
        }
        return true;
    }

    /** How many messages were taken. */
    public int count() {
        return messages.size();
    }

    /** The frame: the message itself when there is one, the batch envelope otherwise. */
    public String frame() {
        return MessageCodec.batchFrame(messages);
    }

    /** Whether {@code encoded} alone is at most {@code maxBytes} UTF-8 bytes. */
    public static boolean fitsAlone(String encoded, int maxBytes) {
        return encoded.length() * 3L <= maxBytes || MessageCodec.utf8Length(encoded) <= maxBytes;
    }
}
