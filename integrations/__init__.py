"""One folder per outside system; each translates between its platform and the neutral types."""
