package io.stardust.http;

import io.stardust.EntryNotFoundException;
import io.stardust.FieldDefinitionConflictException;
import io.stardust.FieldDeletionInProgressException;
import io.stardust.FieldNameConflictException;
import io.stardust.FieldNotFoundException;
import io.stardust.FieldNotSortableException;
import io.stardust.IncompatibleRetypeException;
import io.stardust.InvalidCursorException;
import io.stardust.InvalidModelDefinitionException;
import io.stardust.InvalidTenantIdException;
import io.stardust.MalformedEntryPayloadException;
import io.stardust.ModelDeletionInProgressException;
import io.stardust.ModelNameConflictException;
import io.stardust.ModelNotFoundException;
import io.stardust.PageSizeOutOfRangeException;
import io.stardust.PayloadTooLargeException;
import io.stardust.RenameInProgressException;
import io.stardust.RetypeInProgressException;
import io.stardust.UncoercibleSlotValueException;
import io.stardust.daemon.http.HttpError;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's typed refusals as HTTP errors: each exception type has one status and one {@code error} code (the
 * README's status table). Filter refusals are not here: they answer
 * 422 with the engine's validation document. Anything not listed is not the caller's fault and stays a 500.
 */
final class EngineErrors {
    private record Mapping(int status, String code) {
    }

    private static final Map<Class<? extends RuntimeException>, Mapping> MAPPINGS = new LinkedHashMap<>();

    static {
        MAPPINGS.put(InvalidTenantIdException.class, new Mapping(400, "invalid_tenant"));
        MAPPINGS.put(PageSizeOutOfRangeException.class, new Mapping(400, "page_size_out_of_range"));
        MAPPINGS.put(InvalidCursorException.class, new Mapping(400, "invalid_cursor"));
        MAPPINGS.put(MalformedEntryPayloadException.class, new Mapping(400, "malformed_entry_payload"));
        // before its superclass InvalidModelDefinitionException
        MAPPINGS.put(FieldDefinitionConflictException.class, new Mapping(409, "field_definition_conflict"));
        MAPPINGS.put(InvalidModelDefinitionException.class, new Mapping(400, "invalid_model_definition"));
        MAPPINGS.put(ModelNotFoundException.class, new Mapping(404, "model_not_found"));
        MAPPINGS.put(EntryNotFoundException.class, new Mapping(404, "not_found"));
        MAPPINGS.put(FieldNotFoundException.class, new Mapping(404, "field_not_found"));
        MAPPINGS.put(FieldNameConflictException.class, new Mapping(409, "field_name_conflict"));
        MAPPINGS.put(ModelNameConflictException.class, new Mapping(409, "model_name_conflict"));
        MAPPINGS.put(RetypeInProgressException.class, new Mapping(409, "retype_in_progress"));
        MAPPINGS.put(RenameInProgressException.class, new Mapping(409, "rename_in_progress"));
        MAPPINGS.put(FieldDeletionInProgressException.class, new Mapping(409, "field_deletion_in_progress"));
        MAPPINGS.put(ModelDeletionInProgressException.class, new Mapping(409, "model_deletion_in_progress"));
        MAPPINGS.put(PayloadTooLargeException.class, new Mapping(413, "payload_too_large"));
        MAPPINGS.put(UncoercibleSlotValueException.class, new Mapping(422, "uncoercible_slot_value"));
        MAPPINGS.put(IncompatibleRetypeException.class, new Mapping(422, "incompatible_retype"));
        MAPPINGS.put(FieldNotSortableException.class, new Mapping(422, "field_not_sortable"));
    }

    private EngineErrors() {
    }

    /** The HTTP error for a refusal of the caller's input, or null when {@code e} is not one. */
    static HttpError of(RuntimeException e) {
        for (Map.Entry<Class<? extends RuntimeException>, Mapping> m : MAPPINGS.entrySet()) {
            if (m.getKey().isInstance(e)) {
                return new HttpError(m.getValue().status(), m.getValue().code(), e.getMessage());
            }
        }
        return null;
    }
}
