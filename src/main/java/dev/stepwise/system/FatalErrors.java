package dev.stepwise.system;

import java.util.function.IntConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Ends the process on an {@link OutOfMemoryError} (or another error of the virtual
 * machine) wherever it surfaces: after one, any thread may have died half-way (a step
 * writer, Tomcat's poller) and the JVM would stay up, half-dead, with liveness still UP.
 * A supervisor restarts the process. {@code -XX:+ExitOnOutOfMemoryError} does the same in
 * the Docker image; a bare {@code java -jar} has no such flag, so the service checks the
 * errors its threads, writers and requests end with.
 */
public class FatalErrors {

	/** The exit status, as {@code -XX:+ExitOnOutOfMemoryError} exits with. */
	public static final int STATUS = 3;

	private static final Log logger = LogFactory.getLog(FatalErrors.class);

	private final IntConsumer halt;

	/** Halts with {@code halt} (the JVM's own halt in production). */
	public FatalErrors(IntConsumer halt) {
		this.halt = halt;
	}

	/** Halts the JVM: no shutdown hooks, which might need the memory that is gone. */
	static FatalErrors halting() {
		return new FatalErrors((status) -> Runtime.getRuntime().halt(status));
	}

	/**
	 * Whether {@code failure} or one of its causes leaves the JVM unfit to go on. A
	 * {@link StackOverflowError} is one request's too deep recursion, not fatal.
	 */
	public static boolean isFatal(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof VirtualMachineError && !(cause instanceof StackOverflowError)) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	/** Halts the process if {@code failure} is fatal; returns otherwise. */
	public void check(Throwable failure, String where) {
		if (!isFatal(failure)) {
			return;
		}
		try {
			// no stack trace: building one allocates
			System.err.println("FATAL: " + failure + " in " + where + "; halting with status " + STATUS);
			logger.fatal("Halting with status " + STATUS + " after " + failure + " in " + where);
		}
		catch (Throwable ex) {
			// halt all the same
		}
		finally {
			this.halt.accept(STATUS);
		}
	}

	/**
	 * The handler of errors no one caught: halts on a fatal one, and otherwise logs it as
	 * the JVM would.
	 */
	public Thread.UncaughtExceptionHandler uncaughtHandler() {
		return (thread, failure) -> {
			check(failure, "thread " + thread.getName());
			logger.error("Uncaught exception in thread " + thread.getName(), failure);
		};
	}

}
