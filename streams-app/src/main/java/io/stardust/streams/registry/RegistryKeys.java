package io.stardust.streams.registry;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The key layout of the registry index store. {@code model/<id>} holds {@code tenantId/name};
 * {@code name/<tenantId>/<folded name>} holds the model id; {@code field/<modelId>/<fieldId>} a field;
 * {@code deleting/<modelId>} marks a model whose purge is running; {@code checkpoint/<id>} remembers a checkpoint
 * row's job name so its delete can be undone.
 */
final class RegistryKeys {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private RegistryKeys() {
    }

    static String model(long id) {
        return "model/" + id;
    }

    static String name(long tenantId, String name) {
        return tenantNames(tenantId) + fold(name);
    }

    static String tenantNames(long tenantId) {
        return "name/" + tenantId + "/";
    }

    static String field(long modelId, long fieldId) {
        return fields(modelId) + fieldId;
    }

    static String fields(long modelId) {
        return "field/" + modelId + "/";
    }

    static String deleting(long modelId) {
        return "deleting/" + modelId;
    }

    static String checkpoint(long id) {
        return "checkpoint/" + id;
    }

    /**
     * Trimmed, accents stripped, lower case: the Java approximation of the registry's {@code utf8mb4_0900_ai_ci}
     * comparison (see the README: the Streams app reads no MySQL per line, so it cannot ask MySQL).
     */
    static String fold(String name) {
        String trimmed = name == null ? "" : name.trim();
        return MARKS.matcher(Normalizer.normalize(trimmed, Normalizer.Form.NFD)).replaceAll("").toLowerCase(Locale.ROOT);
    }
}
