"""The dimensions a participant's delivery report rates (each a RAG beside the overall one),
in the order the seed's reports give them: the one list the models, the portal, the web
and the pack read."""

DIMENSIONS = ("approach", "plan", "resources", "budget", "risk", "stakeholders", "suppliers")
