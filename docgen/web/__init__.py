"""The workbench: docgen in the browser, served by `docgen serve` on the office's own machine.

Pages and the JSON API under /api call the functions the command line calls
(pipeline, batch, registry); this package only carries requests to them,
stores uploads under names it chooses, and guards the door (security.py).
"""
