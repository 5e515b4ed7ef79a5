package com.headcount.core.reference;

import java.util.Collection;

/** Events, gates and participants, as the organiser set them up. Implemented by the storage adapter. */
public interface ReferenceData {

    /** Looks up many keys at once: one round trip per batch where the store allows it. */
    ReferenceSet lookup(Collection<? extends ReferenceKey> keys);

    /** The same, read from the store itself even where a cache holds the keys (a cache keeps what it read). */
    default ReferenceSet lookupFresh(Collection<? extends ReferenceKey> keys) {
        return lookup(keys);
    }
}
