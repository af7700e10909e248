package org.varlearn.solver;

/**
 * Progress and cancellation channel between long computations and whoever
 * runs them (the ImageJ status bar, a console, a test). Implementations must
 * be cheap and thread-safe; solvers call them from their coordinating thread.
 */
public interface Monitor {

	/** Reports that {@code done} of {@code total} work units are finished. */
	void progress(long done, long total);

	/** True when the user asked to stop; the computation then ends early and says so. */
	boolean isCanceled();

	/** Free-text status (loss values, stage names); ignored by default. */
	default void status(final String message) {}

	/** A monitor that reports nothing and never cancels. */
	Monitor NONE = new Monitor() {
		@Override public void progress(final long done, final long total) {}
		@Override public boolean isCanceled() { return false; }
	};
}
