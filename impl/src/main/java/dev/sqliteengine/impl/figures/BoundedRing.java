package dev.sqliteengine.impl.figures;

import java.util.ArrayList;
import java.util.List;

/**
 * The newest {@code capacity} elements added, oldest first: an engine's history keeps its samples
 * in these, so its memory stays the same however long the engine runs. One thread adds (the
 * health sampler), any thread reads; both under this object's lock, which is held only to copy
 * references.
 *
 * @param <T> immutable elements
 */
final class BoundedRing<T> {

    private final Object[] slots;
    /** Where the next element goes. Guarded by this. */
    private int next;
    /** How many slots hold an element, at most {@code slots.length}. Guarded by this. */
    private int size;

    BoundedRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a ring needs room for at least one element, not " + capacity);
        }
        slots = new Object[capacity];
    }

    /** Adds an element, dropping the oldest when the ring is full. */
    synchronized void add(T element) {
        slots[next] = element;
        next = (next + 1) % slots.length;
        size = Math.min(size + 1, slots.length);
        assert size == slots.length || next == size : "a ring that is not full fills from slot 0";
    }

    /** @return the elements, oldest first; a new list */
    @SuppressWarnings("unchecked")
    synchronized List<T> list() {
        List<T> out = new ArrayList<>(size);
        int oldest = size < slots.length ? 0 : next;
        for (int i = 0; i < size; i++) {
            out.add((T) slots[(oldest + i) % slots.length]);
        }
        return out;
    }
}
