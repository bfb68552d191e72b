package io.stardust.http;

import io.stardust.daemon.http.HttpCall;
import io.stardust.daemon.http.HttpError;
import io.stardust.daemon.http.HttpReply;
import io.stardust.engine.access.ApiKey;
import io.stardust.engine.access.IdempotencyRecords;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code Idempotency-Key} on create and bulk: the first successful (2xx) answer to a key is stored, per API key,
 * and a retry with the same key and the same request gets it again (with {@code Idempotent-Replayed: true})
 * instead of writing twice. A failed answer frees the key so the retry runs afresh.
 */
final class Idempotency {
    static final String HEADER = "Idempotency-Key";

    private final IdempotencyRecords records;

    Idempotency(IdempotencyRecords records) {
        this.records = records;
    }

    /**
     * Runs {@code work} at most once per key; {@code fingerprint} identifies the request (route, tenant, model and,
     * where the body is read first, its hash), so a key reused for another request is refused.
     */
    HttpReply run(HttpCall call, ApiKey key, String fingerprint, Supplier<HttpReply> work) {
        String idem = call.header(HEADER);
        if (idem == null) {
            return work.get();
        }
        if (idem.isEmpty() || idem.length() > IdempotencyRecords.MAX_KEY_LENGTH
                || !idem.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)) {
            throw HttpError.badRequest("bad_idempotency_key", HEADER + " must be 1.." + IdempotencyRecords.MAX_KEY_LENGTH
                    + " visible ASCII characters");
        }
        IdempotencyRecords.Claim claim = records.claim(key.id(), key.tenantId(), idem, fingerprint);
        if (claim instanceof IdempotencyRecords.Replay r) {
            return new HttpReply(r.status(), HttpReply.JSON, r.body(), Map.of("Idempotent-Replayed", "true"));
        }
        if (claim instanceof IdempotencyRecords.Mismatch) {
            throw new HttpError(422, "idempotency_key_reused",
                    HEADER + " '" + idem + "' was already used for a different request");
        }
        if (claim instanceof IdempotencyRecords.InProgress) {
            throw new HttpError(409, "idempotency_key_in_progress",
                    "a request with " + HEADER + " '" + idem + "' is still being served; retry later");
        }
        HttpReply reply;
        try {
            reply = work.get();
        } catch (RuntimeException e) {
            records.release(key.id(), idem);
            throw e;
        }
        if (reply.status() >= 200 && reply.status() < 300) {
            records.complete(key.id(), idem, reply.status(), reply.body());
        } else {
            records.release(key.id(), idem);
        }
        return reply;
    }
}
