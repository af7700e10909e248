package org.varlearn.plugin;

import ij.IJ;
import ij.Macro;
import ij.macro.Interpreter;

/** How every VarLearn command reports user mistakes and Esc: dialogs when interactive, the Log and an aborted macro otherwise. */
final class Errors {

	private Errors() {}

	/** A dialog when interactive; from a macro the log and an aborted macro. */
	static void fail(final String command, final String message, final boolean noDialog) {
		IJ.showProgress(1.0);
		if (!noDialog) {
			IJ.error(command, message);
			return;
		}
		IJ.log(command + " error: " + message);
		Macro.abort();
		Interpreter.abort();
	}

	static void canceled(final String command, final boolean noDialog) {
		IJ.showProgress(1.0);
		IJ.showStatus(command + " canceled (Esc): no result.");
		if (noDialog) Macro.abort();
	}
}
