package io.stardust.engine.search;

import io.stardust.engine.read.SchemaSnapshot.FieldDescriptor;

/**
 * A driver that can answer "can this field be filtered?" from the registry snapshot pre-flight already holds,
 * instead of {@link io.stardust.EntrySearchDriver#supportsFilterOn(long)}'s own registry query. Saves a round trip
 * per leaf, and the answer is the one the SQL compiler will see, so the check and the compilation cannot disagree
 * when the registry moves in between.
 */
interface SnapshotFilterCapability {
    boolean supportsFilterOn(FieldDescriptor field);
}
