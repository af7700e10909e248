package org.varlearn.command;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One {@code key=value} option of a command: its macro key, default value,
 * dialog label (whose first word, lower-cased, is the key, as ImageJ's macro
 * recorder requires), allowed values for choices, and a one-line meaning.
 */
public final class OptionSpec {

	public final String key;
	public final String defaultValue;
	public final String label;
	/** Allowed values of a choice, empty for free values. */
	public final List<String> choices;
	public final String help;

	public OptionSpec(final String key, final String defaultValue, final String label, final String help,
		final String... choices)
	{
		if (!label.split("[ :]", 2)[0].toLowerCase(Locale.ROOT).equals(key))
			throw new IllegalArgumentException("Label '" + label + "' does not give the macro key '" + key + "'.");
		this.key = key;
		this.defaultValue = defaultValue;
		this.label = label;
		this.help = help;
		this.choices = Collections.unmodifiableList(Arrays.asList(choices.clone()));
	}

	/** True for a free value whose default is a number (a numeric dialog field); false for choices and text. */
	public boolean isNumeric() {
		if (!choices.isEmpty() || defaultValue == null) return false;
		try {
			Double.parseDouble(defaultValue);
			return true;
		} catch (final NumberFormatException e) {
			return false;
		}
	}

	/** {@code key=default  meaning} for usage texts. */
	@Override
	public String toString() {
		final String values = choices.isEmpty() ? "" : " (" + String.join("|", choices) + ")";
		return key + "=" + (defaultValue == null ? "<required>" : defaultValue) + values + "  " + help;
	}
}
