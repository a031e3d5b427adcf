"""Pure domain rules of carebook: IDs, dates, phones, categories and visit schedules (stdlib only)."""
