package dev.stepwise.system;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.Callable;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites the live pages of an MVStore's sparse chunks only (at most
 * {@link H2Housekeeping#SPARSE_CHUNK_FILL}% live), which {@link MVStore#compact} cannot
 * be told to do: it passes a fill limit of 100 to the same method. That method,
 * {@code FileStore.rewriteChunks(int, int)}, and the store's lock around it are not
 * public, so they are called reflectively; if a later H2 lacks them, {@link #available()}
 * is false, the housekeeping falls back to {@link MVStore#compact}, and this says so
 * once.
 */
final class SparseRewrite {

	private static final Log logger = LogFactory.getLog(SparseRewrite.class);

	/** {@code FileStore.rewriteChunks(int writeLimit, int targetFillRate)}. */
	private static final @Nullable Method REWRITE_CHUNKS;

	/** {@code MVStore.tryExecuteUnderStoreLock(Callable)}: waits 10 ms for the lock. */
	private static final @Nullable Method UNDER_STORE_LOCK;

	static {
		Method rewrite = null;
		Method underLock = null;
		try {
			rewrite = FileStore.class.getDeclaredMethod("rewriteChunks", int.class, int.class);
			underLock = MVStore.class.getDeclaredMethod("tryExecuteUnderStoreLock", Callable.class);
			rewrite.setAccessible(true);
			underLock.setAccessible(true);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.info("H2's chunk rewriting is not reachable (" + ex
					+ "): the housekeeping rewrites the chunks H2 picks, and the file may grow larger under load");
			rewrite = null;
			underLock = null;
		}
		REWRITE_CHUNKS = rewrite;
		UNDER_STORE_LOCK = underLock;
	}

	private SparseRewrite() {
	}

	/** Whether sparse chunks can be picked on this H2. */
	static boolean available() {
		return REWRITE_CHUNKS != null && UNDER_STORE_LOCK != null;
	}

	/**
	 * Rewrites the live pages of up to {@code writeLimit} bytes of the store's sparse
	 * chunks, if the store's lock is free within 10 ms.
	 * @return whether a chunk was rewritten (its pages are written by the next commit)
	 */
	static boolean rewrite(MVStore store, int writeLimit) {
		Method rewrite = REWRITE_CHUNKS;
		Method underLock = UNDER_STORE_LOCK;
		FileStore<?> file = store.getFileStore();
		if (rewrite == null || underLock == null || file == null) {
			throw new IllegalStateException("H2's chunk rewriting is not reachable");
		}
		Callable<Boolean> rewriteSparse = () -> (Boolean) rewrite.invoke(file, writeLimit,
				H2Housekeeping.SPARSE_CHUNK_FILL);
		try {
			return Boolean.TRUE.equals(underLock.invoke(store, rewriteSparse));
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
