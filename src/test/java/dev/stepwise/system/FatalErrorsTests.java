package dev.stepwise.system;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An out-of-memory error, also one wrapped in another exception, halts with status 3;
 * other failures, a stack overflow included, do not.
 */
class FatalErrorsTests {

	private final List<Integer> halts = new CopyOnWriteArrayList<>();

	private final FatalErrors fatal = new FatalErrors(this.halts::add);

	@Test
	void anOutOfMemoryErrorHalts() {
		this.fatal.check(new OutOfMemoryError("Java heap space"), "test");
		assertThat(this.halts).containsExactly(3);
	}

	@Test
	void anOutOfMemoryErrorWrappedInAServletExceptionHalts() {
		this.fatal.check(new IllegalStateException("Handler dispatch failed", new OutOfMemoryError()), "test");
		assertThat(this.halts).containsExactly(FatalErrors.STATUS);
	}

	@Test
	void otherFailuresDoNotHalt() {
		this.fatal.check(new IllegalStateException("broken"), "test");
		this.fatal.check(new StackOverflowError(), "test");
		this.fatal.check(new LinkageError("injected"), "test");
		assertThat(this.halts).isEmpty();
	}

	@Test
	void theUncaughtHandlerHaltsOnAThreadThatDiesOfOutOfMemory() throws Exception {
		Thread thread = new Thread(() -> {
			throw new OutOfMemoryError("Java heap space");
		}, "poller");
		thread.setUncaughtExceptionHandler(this.fatal.uncaughtHandler());
		thread.start();
		thread.join();
		assertThat(this.halts).containsExactly(3);
	}

	@Test
	void theUncaughtHandlerOnlyLogsOtherFailures() throws Exception {
		Thread thread = new Thread(() -> {
			throw new IllegalStateException("broken");
		});
		thread.setUncaughtExceptionHandler(this.fatal.uncaughtHandler());
		thread.start();
		thread.join();
		assertThat(this.halts).isEmpty();
	}

}
