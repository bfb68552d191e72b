package io.stardust.registry.events;

import java.util.Comparator;

/**
 * Where in the MySQL binlog a change was read: file, position of its rows event, and the row's index within that
 * event. {@code (file, pos, row)} identifies one row change on one server; snapshot rows all carry the binlog
 * position the snapshot was taken at (their row key tells them apart). Positions of the same server compare in
 * binlog order: the file's sequence number, then the position, then the row.
 *
 * @param gtid     the transaction's GTID, or null when the server runs without GTIDs
 * @param serverId the MySQL server that wrote the event
 * @param snapshot true for rows read by the initial snapshot
 */
public record SourcePosition(String file, long pos, int row, String gtid, long serverId, boolean snapshot)
        implements Comparable<SourcePosition> {

    private static final Comparator<SourcePosition> ORDER = Comparator.comparingLong(SourcePosition::fileSequence)
            .thenComparingLong(SourcePosition::pos).thenComparingInt(SourcePosition::row);

    public SourcePosition {
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("source position needs a binlog file name");
        }
    }

    /** The numeric suffix of the binlog file name ({@code binlog.000042} is 42). */
    public long fileSequence() {
        int dot = file.lastIndexOf('.');
        try {
            return Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("binlog file name '" + file + "' does not end in a sequence number", e);
        }
    }

    @Override
    public int compareTo(SourcePosition other) {
        return ORDER.compare(this, other);
    }

    /** {@code file:pos:row}, the position part of a change's idempotency key. */
    @Override
    public String toString() {
        return file + ":" + pos + ":" + row;
    }
}
