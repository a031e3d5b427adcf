"""Small reusable widgets: the search box and the filter chips."""
