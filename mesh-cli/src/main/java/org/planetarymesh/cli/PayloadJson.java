package org.planetarymesh.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.planetarymesh.core.json.Json;

/**
 * Reads a {@code --payload} as JSON, and when it is not, says where it broke and what to type instead: a bare word
 * was probably meant as a string, anything else is shown the shape of a JSON object.
 */
final class PayloadJson {

    private PayloadJson() {}

    /** A {@code --payload} option's JSON, read from the file it names when it starts with {@code @}; null if absent. */
    static JsonNode read(String option) {
        if (option == null) {
            return null;
        }
        if (!option.startsWith("@")) {
            return parse(option, "--payload");
        }
        Path file = Path.of(option.substring(1));
        try {
            return parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new UserError("invalid_argument", "payload file " + file + " does not exist");
        } catch (IOException e) {
            throw new UserError("invalid_argument", "cannot read payload file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The payload's JSON; a {@link UserError} naming {@code source}, the position and the fix when it is not. */
    static JsonNode parse(String text, String source) {
        try {
            return Json.mapper().readTree(text);
        } catch (StreamConstraintsException e) {
            throw new UserError(
                    "invalid_argument",
                    source + " nests arrays and objects deeper than " + Json.MAX_NESTING_DEPTH
                            + " levels, more than the mesh accepts; flatten it, or send the deep part as a string",
                    e);
        } catch (JsonProcessingException e) {
            throw new UserError(
                    "invalid_argument",
                    source + " is not valid JSON" + position(e) + ": " + plain(e.getOriginalMessage()) + ". "
                            + fix(text, source),
                    e);
        }
    }

    private static String position(JsonProcessingException e) {
        var location = e.getLocation();
        if (location == null || location.getColumnNr() < 1) {
            return "";
        }
        return location.getLineNr() > 1
                ? " at line " + location.getLineNr() + ", column " + location.getColumnNr()
                : " at character " + location.getColumnNr();
    }

    /** Jackson's message without its character codes and its hints aimed at Java programmers. */
    private static String plain(String message) {
        String first = message.lines().findFirst().orElse(message);
        return first.replaceAll(" \\(code \\d+\\)", "")
                .replaceAll(" \\(for Object starting at.*", "")
                .replaceAll(
                        "\\(JSON String, Number, Array, Object or token 'null', 'true' or 'false'\\)", "(a JSON value)")
                .replace("Unexpected", "unexpected")
                .replace("Unrecognized", "unrecognized")
                .strip();
    }

    private static String fix(String text, String source) {
        boolean flag = source.equals("--payload");
        String word = text.strip();
        if (word.matches("[\\p{L}_][\\p{L}\\p{N}_ .,:/-]*")) {
            return "To send a string, put it in double quotes"
                    + (flag ? " inside single ones: --payload '\"" + word + "\"'" : ": \"" + word + "\"");
        }
        return "Write JSON with keys and strings in double quotes, e.g. "
                + (flag
                        ? "--payload '{\"hello\":\"mesh\"}' (the single quotes keep the shell off the double ones)"
                        : "{\"hello\":\"mesh\"}");
    }
}
