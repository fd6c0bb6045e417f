package org.planetarymesh.cli.config;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Locale;
import org.planetarymesh.cli.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-format text|json}: text (logback.xml's pattern) for people, or one JSON object per line (logback's own
 * {@link JsonEncoder}: timestamp, level, logger, thread, message, MDC such as {@code request_id}, exception) for log
 * collectors. Applied by swapping the encoder of the one console appender, before the process logs anything else.
 */
public final class LogFormat {

    private LogFormat() {}

    /** Switches the process's logs to {@code format}; null or {@code text} leaves them as they are. */
    public static void apply(String format, String source) {
        if (check(format, source).equals("json")) {
            useJson();
        }
    }

    /** {@code format} as {@code text} or {@code json} (null is text); a {@link UserError} naming its source if neither. */
    public static String check(String format, String source) {
        String value = format == null ? "text" : format.strip().toLowerCase(Locale.ROOT);
        if (!value.equals("text") && !value.equals("json")) {
            throw new UserError(
                    "invalid_config",
                    "log format '" + format + "'" + (source == null ? "" : " (from " + source + ")")
                            + " must be text or json");
        }
        return value;
    }

    private static void useJson() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding (tests, an embedding application) formats its own logs
        }
        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (!(root.getAppender("STDERR") instanceof ConsoleAppender<ILoggingEvent> console)) {
            return;
        }
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithArguments(false);
        json.setWithMessage(false);
        json.setWithFormattedMessage(true);
        json.start();
        console.stop();
        console.setEncoder(json);
        console.start();
    }
}
