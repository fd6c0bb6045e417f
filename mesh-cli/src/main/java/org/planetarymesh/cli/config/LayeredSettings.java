package org.planetarymesh.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.planetarymesh.cli.UserError;

/**
 * One process's settings from its three sources, the agent's rule for every process: a TOML file (named by
 * {@code --config} or {@code MESH_CONFIG}), then {@code MESH_<KEY>} environment variables, then flags; a later source
 * wins. Every value is kept as a string with the source it came from, so one parser checks them all and its errors
 * name the source. A key the file does not know is refused, listing the known ones.
 */
public final class LayeredSettings {

    private final Map<String, Sourced> values;

    private LayeredSettings(Map<String, Sourced> values) {
        this.values = values;
    }

    /** A value and where it came from ({@code flag --port}, {@code environment variable MESH_PORT}, ...). */
    public record Sourced(String value, String source) {}

    /**
     * Reads {@code known} settings (snake_case, plus {@code config}) from the file, {@code env} and {@code flags}
     * (keys in snake_case, values null when the flag was not given).
     */
    public static LayeredSettings load(Set<String> known, Map<String, String> flags, Map<String, String> env) {
        Map<String, Sourced> fromEnv = new LinkedHashMap<>();
        for (String name : known) {
            String var = envVar(name);
            String value = env.get(var);
            if (value != null && !value.isEmpty()) {
                fromEnv.put(name, new Sourced(value, "environment variable " + var));
            }
        }
        Map<String, Sourced> fromFlags = new LinkedHashMap<>();
        flags.forEach((name, value) -> {
            if (value != null) {
                fromFlags.put(name, new Sourced(value, "flag --" + name.replace('_', '-')));
            }
        });
        Map<String, Sourced> values = new LinkedHashMap<>();
        Sourced file = fromFlags.getOrDefault("config", fromEnv.get("config"));
        if (file != null) {
            values.putAll(fromToml(Path.of(file.value()), file.source(), known));
        }
        values.putAll(fromEnv);
        values.putAll(fromFlags);
        return new LayeredSettings(values);
    }

    /** The environment variable of a setting: {@code max_body_bytes} is {@code MESH_MAX_BODY_BYTES}. */
    public static String envVar(String name) {
        return "MESH_" + name.toUpperCase(Locale.ROOT);
    }

    public Sourced get(String name) {
        return values.get(name);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    private static Map<String, Sourced> fromToml(Path file, String namedBy, Set<String> known) {
        if (!Files.isRegularFile(file)) {
            throw new UserError(
                    "invalid_config",
                    "config file " + file.toAbsolutePath() + " (from " + namedBy + ") does not exist");
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UserError(
                    "invalid_config",
                    file + " is not valid TOML: "
                            + e.getMessage().lines().findFirst().orElse(""));
        }
        Map<String, Sourced> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey().replace('-', '_').toLowerCase(Locale.ROOT);
            JsonNode value = field.getValue();
            if (!known.contains(name) || name.equals("config")) {
                throw new UserError(
                        "invalid_config",
                        "unknown setting '" + field.getKey() + "' in " + file + "; known settings: "
                                + new TreeSet<>(known)
                                        .stream()
                                                .filter(k -> !k.equals("config"))
                                                .toList());
            }
            if (!value.isValueNode()) {
                throw new UserError(
                        "invalid_config",
                        "'" + field.getKey() + "' in " + file + " must be a plain value (a string, number or boolean)");
            }
            out.put(name, new Sourced(value.asText(), file.getFileName() + " key '" + field.getKey() + "'"));
        }
        return out;
    }
}
