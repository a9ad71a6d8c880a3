"""kg.loaders: one stage per module, article -> clean text -> mentions -> entities -> facts."""
