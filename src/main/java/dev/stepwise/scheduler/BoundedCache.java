package dev.stepwise.scheduler;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A concurrent map that holds at most {@code capacity} entries: when full, it forgets an arbitrary
 * one before adding another. For values that are cheap to rebuild and never wrong to rebuild.
 */
final class BoundedCache<K, V> {

	private final Map<K, V> entries = new ConcurrentHashMap<>();

	private final int capacity;

	BoundedCache(int capacity) {
		this.capacity = Math.max(1, capacity);
	}

	@Nullable V get(K key) {
		return this.entries.get(key);
	}

	void put(K key, V value) {
		if (this.entries.size() >= this.capacity && !this.entries.containsKey(key)) {
			Iterator<K> keys = this.entries.keySet().iterator();
			if (keys.hasNext()) {
				keys.next();
				keys.remove();
			}
		}
		this.entries.put(key, value);
	}

}
