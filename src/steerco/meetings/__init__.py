"""A body's meetings through their life: the calendar of coming meetings from each body's
cadence, the next meeting set up in one step, and open → frozen → published → held →
closed."""
