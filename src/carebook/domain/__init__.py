"""Pure domain rules of carebook (stdlib only): IDs, dates, phones, categories, visits."""
