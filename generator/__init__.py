"""Department handbook generator: data/*.yml -> validated model -> Markdown pages."""
