package io.stardust.engine.write;

import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;

/**
 * A key this transaction found absent was created by a concurrent transaction before this one could insert its
 * key row (the primary key refused the insert). Not the data's fault: the transaction must be rolled back and run
 * again, which then finds the key. SQLSTATE 40001, the class of deadlocks and serialization failures, so every
 * caller that retries those retries this.
 */
public final class KeyConflictException extends SQLTransactionRollbackException {
    public KeyConflictException(SQLException duplicate) {
        super("an external key of this transaction was created concurrently by another transaction; run the"
                + " transaction again (" + duplicate.getMessage() + ")", "40001", 0, duplicate);
    }
}
