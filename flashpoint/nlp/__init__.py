"""flashpoint's spaCy components: actors, dates, places and events, and the pipeline that chains them."""
