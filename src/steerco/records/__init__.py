"""Records as a programme office keeps them: editing with a reason and a version check,
their history, and what changed between two moments. Read by the web pages, the API, the
portal and transfers alike."""
